import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { spawnServer, waitUntilListening, type ServerProcess } from './helpers/server-process.ts';
import { createScratchPostgresDatabase } from './helpers/test-database.ts';

describe('several server processes on one PostgreSQL', { timeout: 300_000 }, () => {
  let database: { url: string; drop(): Promise<void> };
  const dataDirs: string[] = [];
  const servers: ServerProcess[] = [];
  const secretKey = randomBytes(32).toString('base64');

  before(async () => {
    database = await createScratchPostgresDatabase();
  });
  after(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  const start = () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-pg-process-'));
    dataDirs.push(dataDir);
    const server = spawnServer({
      DATABASE_URL: database.url,
      PARLEY_DATA_DIR: dataDir,
      PARLEY_SECRET_KEY: secretKey,
    });
    servers.push(server);
    return server;
  };

  it('start together, migrate once, bootstrap once, and serve the same shops', async () => {
    const [a, b] = [start(), start()];
    const [urlA, urlB] = await Promise.all([waitUntilListening(a), waitUntilListening(b)]);
    for (const url of [urlA, urlB]) {
      assert.deepEqual(await (await fetch(`${url}/health`)).json(), {
        status: 'ok',
        database: 'postgres',
        version: '0.1.0',
      });
    }
    const banners = [a, b].filter((server) => server.stdout.some((line) => line.startsWith('Admin token')));
    assert.equal(banners.length, 1, 'exactly one process prints the first-start secrets');
    const printed = banners[0]!.stdout.find((line) => line.startsWith('Admin token'))!;
    const adminToken = printed.slice(printed.lastIndexOf(' ') + 1);

    const created = await fetch(`${urlA}/api/admin/shops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Made on A' }),
    });
    assert.equal(created.status, 201);
    const listed = await fetch(`${urlB}/api/admin/shops`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const names = ((await listed.json()) as { shops: Array<{ name: string }> }).shops.map(
      (shop) => shop.name,
    );
    assert.deepEqual(names.sort(), ['Demo shop', 'Made on A']);
  });
});
