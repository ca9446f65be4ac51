// `npm start` runs the server's bundle (scripts/build.mjs), not its TypeScript: the bundle starts and
// serves on the machine's Node 20 and on Node 22 (tools/node22), finds its migrations and its console
// from dist/, and is rebuilt when its sources are newer than it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildServer, serverBuildIsStale } from '../scripts/build.mjs';
import { ensureNode22Tools, node22 } from './helpers/node22.ts';
import { spawnServer, waitUntilListening } from './helpers/server-process.ts';

const inputsFile = new URL('../dist/build-inputs.json', import.meta.url).pathname;

before(async () => {
  await buildServer();
});

async function startAndStop(nodePath: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bundle-'));
  const server = spawnServer(
    {
      PARLEY_DATA_DIR: dataDir,
      PARLEY_DISABLE_DEMO: 'true',
      PARLEY_SECRET_KEY: randomBytes(32).toString('base64'),
    },
    { bundle: true, nodePath },
  );
  try {
    const baseUrl = await waitUntilListening(server);
    const health = await fetch(`${baseUrl}/health`);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite', version: '0.1.0' });
    const page = await fetch(`${baseUrl}/`);
    assert.equal(page.status, 200, 'the console is served from its build');
    assert.ok(
      server.stdout.some((line) => line.includes('Parley first start')),
      'the first-start banner',
    );
    server.child.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null });
  } finally {
    server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the bundle npm start runs', () => {
  test('is stale once a source is newer than the last build', () => {
    assert.equal(
      serverBuildIsStale(),
      false,
      'just built (checked first: an edit made meanwhile would make it stale)',
    );
    const longAgo = new Date('2020-01-01T00:00:00Z');
    utimesSync(inputsFile, longAgo, longAgo);
    assert.equal(serverBuildIsStale(), true);
  });

  test('starts, migrates a new data dir and serves, on Node 20', () => startAndStop(process.execPath));

  test('and on Node 22', async () => {
    await ensureNode22Tools();
    await startAndStop(node22);
  });
});
