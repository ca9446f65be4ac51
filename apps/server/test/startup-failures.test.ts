/**
 * Start-up failures an operator can fix stop the real server process (`node src/main.ts`) with one
 * line on stderr that names the setting and the fix: no stack trace, no secret. Each case waits for
 * the process to exit, never on a timer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServer, waitUntilListening, type ServerProcess } from './helpers/server-process.ts';

const dirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-startup-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the server to its exit and returns its stderr, checked to be one line without a stack. */
async function failedStart(env: Record<string, string>, exitCode: number): Promise<string> {
  const server = spawnServer({ PARLEY_DATA_DIR: newDataDir(), ...env });
  const { code } = await server.exited;
  assert.equal(code, exitCode, `stderr:\n${server.stderr.join('\n')}`);
  const lines = server.stderr.filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `one line, got:\n${lines.join('\n')}`);
  assert.doesNotMatch(lines[0]!, /\bat .+:\d+:\d+/, 'no stack trace');
  return lines[0]!;
}

describe('a start that cannot succeed says why in one line', { timeout: 120_000 }, () => {
  it('a URL without its scheme names the variable', async () => {
    const line = await failedStart({ PARLEY_LLM_BASE_URL: 'localhost:11434' }, 78);
    assert.match(
      line,
      /^Invalid configuration: PARLEY_LLM_BASE_URL: must be a URL starting with http:\/\/ or https:\/\/, such as http:\/\/localhost:11434\/v1 \(got "localhost:11434"\)$/,
    );
  });

  it('a port in use names PORT and the fix', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const line = await failedStart({ PORT: String(port), PARLEY_DISABLE_DEMO: 'true' }, 1);
      assert.equal(
        line,
        `Parley failed to start: Port ${port} is already in use on 127.0.0.1 (PORT=${port}): stop the process using it, or set PORT to a free port.`,
      );
    } finally {
      holder.close();
    }
  });

  it('a data dir this user cannot create or write names PARLEY_DATA_DIR and the fix', async () => {
    // sysfs refuses new directories even to root, which a chmod would not.
    const line = await failedStart({ PARLEY_DATA_DIR: '/sys/parley-startup-test/data' }, 1);
    assert.match(
      line,
      /^Parley failed to start: Cannot use the data dir \/sys\/parley-startup-test\/data \(PARLEY_DATA_DIR\): this user cannot write to it \((EACCES|EPERM)\); make it writable \(chown\/chmod\) or set PARLEY_DATA_DIR to a writable directory\.$/,
    );
  });

  it('a second process on the same data dir names the first one and the ways out', async () => {
    const dataDir = newDataDir();
    let first: ServerProcess | undefined;
    try {
      first = spawnServer({ PARLEY_DATA_DIR: dataDir, PARLEY_DISABLE_DEMO: 'true' });
      await waitUntilListening(first);
      const second = spawnServer({ PARLEY_DATA_DIR: dataDir, PARLEY_DISABLE_DEMO: 'true' });
      const { code } = await second.exited;
      assert.equal(code, 75);
      assert.deepEqual(second.stderr, [
        `The data dir ${dataDir} is in use by another Parley process (PID ${first.child.pid}). ` +
          'Stop it first, or start this one with another PARLEY_DATA_DIR, or use a shared PostgreSQL (DATABASE_URL) to run several processes.',
      ]);
    } finally {
      first?.child.kill('SIGTERM');
      await first?.exited;
    }
  });

  it('a server that accepts the connection but never answers is named too', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const line = await failedStart(
        { DATABASE_URL: `postgres://parley:hunter2@127.0.0.1:${port}/parley` },
        1,
      );
      assert.equal(
        line,
        `Parley failed to start: PostgreSQL at 127.0.0.1:${port}/parley (DATABASE_URL) accepted the connection but did not answer in time: check that PostgreSQL (not another service) listens there and is not overloaded, or fix DATABASE_URL.`,
      );
    } finally {
      silent.close();
    }
  });

  it('PostgreSQL not answering names DATABASE_URL, without its password', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const line = await failedStart({ DATABASE_URL: `postgres://parley:hunter2@127.0.0.1:${port}/parley` }, 1);
    assert.equal(
      line,
      `Parley failed to start: PostgreSQL at 127.0.0.1:${port}/parley (DATABASE_URL) is unreachable (ECONNREFUSED): start it, or fix the host and port in DATABASE_URL.`,
    );
  });
});
