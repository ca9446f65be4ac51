import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServer, waitUntilListening } from './helpers/server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-process-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const extract = (lines: string[], pattern: RegExp): string => {
  for (const line of lines) {
    const match = pattern.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  throw new Error(`no line matches ${pattern}`);
};

describe('the server process on a fresh data dir', { timeout: 300_000 }, () => {
  let adminToken = '';

  it('prints the admin token, a demo shop token and an MCP snippet once, and serves /health', async () => {
    const server = spawnServer({ PARLEY_DATA_DIR: dataDir });
    try {
      const baseUrl = await waitUntilListening(server);
      await server.waitForLine((l) => l.startsWith('====='));
      adminToken = extract(server.stdout, /^Admin token \(for \/api\/admin\/\*\): (pk_admin_\S+)$/);
      const shopToken = extract(server.stdout, /^Demo shop "Demo shop" \(shop_\S+\) token: (pk_shop_\S+)$/);
      assert.ok(
        server.stdout.some((l) => l.includes(`"Authorization": "Bearer ${shopToken}"`)),
        'MCP snippet with the token',
      );

      const health = await fetch(`${baseUrl}/health`);
      assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite', version: '0.1.0' });
      const shops = await fetch(`${baseUrl}/api/admin/shops`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      assert.deepEqual(
        ((await shops.json()) as { shops: Array<{ name: string }> }).shops.map((s) => s.name),
        ['Demo shop'],
      );

      // A second process on the same data dir stops with a clear message instead of opening it.
      const second = spawnServer({ PARLEY_DATA_DIR: dataDir });
      const { code } = await second.exited;
      assert.equal(code, 75);
      assert.match(
        second.stderr.join('\n'),
        new RegExp(`in use by another Parley process \\(PID ${server.child.pid}\\)`),
      );

      server.child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      assert.ok(server.stdout.some((l) => l.includes('"msg":"stopped"')));
      assert.equal(server.stdout.join('\n').includes(adminToken), true);
      assert.equal(
        server.stdout.filter((l) => l.startsWith('{')).some((l) => l.includes(adminToken)),
        false,
        'no token in JSON logs',
      );
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('restarts on the same data dir without printing secrets again; the tokens still work', async () => {
    assert.notEqual(adminToken, '');
    const server = spawnServer({ PARLEY_DATA_DIR: dataDir });
    try {
      const baseUrl = await waitUntilListening(server);
      const shops = await fetch(`${baseUrl}/api/admin/shops`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      assert.equal(shops.status, 200);
      assert.equal(
        server.stdout.some((l) => l.includes('pk_')),
        false,
        'no token printed on a restart',
      );
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });

  it('takes over the lock left by a killed process', async () => {
    const server = spawnServer({ PARLEY_DATA_DIR: dataDir });
    await waitUntilListening(server);
    server.child.kill('SIGKILL');
    await server.exited;
    const next = spawnServer({ PARLEY_DATA_DIR: dataDir });
    try {
      const baseUrl = await waitUntilListening(next);
      assert.equal((await fetch(`${baseUrl}/health`)).status, 200);
    } finally {
      next.child.kill('SIGKILL');
      await next.exited;
    }
  });

  it('refuses a bad configuration, naming the variable', async () => {
    const server = spawnServer({ PARLEY_DATA_DIR: dataDir, PORT: 'http' });
    const { code } = await server.exited;
    assert.equal(code, 78);
    assert.match(server.stderr.join('\n'), /PORT: .*\(got "http"\)/);
  });
});
