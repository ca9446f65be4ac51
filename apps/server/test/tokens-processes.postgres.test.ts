/**
 * Revocation across processes (docs/tokens-and-agents.md): two server processes on one PostgreSQL.
 * Process B has just used a token, so it remembers it; a change made through process A must make B
 * refuse it within 1 s, far sooner than B's memory of it would expire on its own (10 s). B is asked
 * again and again until it refuses or the deadline passes: no sleeps.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { PRINCIPAL_CACHE_MS } from '../src/features/shops/principal-cache.ts';
import { callToolOverHttp, LEGACY_VERSION } from './helpers/mcp.ts';
import { spawnServer, waitUntilListening, type ServerProcess } from './helpers/server-process.ts';
import { createScratchPostgresDatabase } from './helpers/test-database.ts';

const ADMIN_TOKEN = `pk_admin_${randomBytes(24).toString('base64url')}`;
const DEADLINE_MS = 1_000;
const OUTAGE_DEADLINE_MS = 5_000;

describe('a token changed through one process is refused by another within 1 s', { timeout: 180_000 }, () => {
  let database: { url: string; drop(): Promise<void> };
  const dataDirs: string[] = [];
  const servers: ServerProcess[] = [];
  let urlA = '';
  let urlB = '';

  before(async () => {
    database = await createScratchPostgresDatabase();
    const secretKey = randomBytes(32).toString('base64');
    const start = () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'parley-tokens-'));
      dataDirs.push(dataDir);
      const server = spawnServer({
        DATABASE_URL: database.url,
        PARLEY_DATA_DIR: dataDir,
        PARLEY_SECRET_KEY: secretKey,
        PARLEY_ADMIN_TOKEN: ADMIN_TOKEN,
        PARLEY_DISABLE_DEMO: 'true',
      });
      servers.push(server);
      return server;
    };
    // One after the other: the first migrates, the second finds it done.
    urlA = await waitUntilListening(start());
    urlB = await waitUntilListening(start());
  });
  after(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function call(baseUrl: string, method: string, path: string, token: string, body?: unknown) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text === '' ? {} : JSON.parse(text)) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  /** A request only a live shop or agent token (with the panel permission) gets a 200 for. */
  const statusOn = async (baseUrl: string, token: string) =>
    (await call(baseUrl, 'GET', '/api/followups', token)).status;

  const mcpStatusOn = async (baseUrl: string, token: string) => {
    const response = await fetch(`${baseUrl}/api/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'mcp-protocol-version': LEGACY_VERSION,
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    await response.text();
    return response.status;
  };

  /** Asks again at once until `refused` holds; the time it took, or a failure past the deadline. */
  async function refusedWithin(ask: () => Promise<number>, since: number): Promise<number> {
    for (;;) {
      const status = await ask();
      const elapsed = performance.now() - since;
      if (status === 401 || status === 403) return elapsed;
      assert.equal(status, 200);
      assert.ok(elapsed < DEADLINE_MS, `still accepted ${Math.round(elapsed)} ms after the change`);
    }
  }

  async function newShop(name: string) {
    const created = await call(urlA, 'POST', '/api/admin/shops', ADMIN_TOKEN, { name });
    assert.equal(created.status, 201);
    return { id: created.json.shop.id as string, token: created.json.token as string };
  }

  async function newAgent(shopToken: string, nickname: string) {
    const created = await call(urlA, 'POST', '/api/agents', shopToken, { nickname, name: nickname });
    assert.equal(created.status, 201);
    return { id: created.json.agent.id as string, token: created.json.token as string };
  }

  /** Both processes accept the token now, so B holds it in memory when the change is made. */
  async function warm(token: string) {
    assert.equal(await statusOn(urlA, token), 200);
    assert.equal(await statusOn(urlB, token), 200);
  }

  it("a chat linked through one process: the other's side panel shows the linked phone within 1 s", async () => {
    const shop = await newShop('Links across processes');
    const chat = '+34655123001';
    const linkedOn = async (baseUrl: string) => {
      const lookup = await call(
        baseUrl,
        'GET',
        `/api/panel/customer?phone=${encodeURIComponent(chat)}`,
        shop.token,
      );
      assert.equal(lookup.status, 200);
      return lookup.json.linked_phones as string[];
    };
    assert.deepEqual(await linkedOn(urlB), [], 'B remembers the chat without links');
    const linked = await call(urlA, 'POST', '/api/panel/links', shop.token, {
      phone: chat,
      customer: { phone: '+34655123002', name: 'Ana' },
    });
    const since = performance.now();
    assert.equal(linked.status, 201, JSON.stringify(linked.json));
    for (;;) {
      if ((await linkedOn(urlB)).includes('+34655123002')) break;
      const elapsed = performance.now() - since;
      assert.ok(elapsed < DEADLINE_MS, `B still showed no link ${Math.round(elapsed)} ms after it was made`);
    }
  });

  it('the admin rotates a shop token', async () => {
    assert.ok(DEADLINE_MS < PRINCIPAL_CACHE_MS, 'only the channel can make the deadline');
    const shop = await newShop('Rotated by the admin');
    await warm(shop.token);
    const rotated = await call(urlA, 'POST', `/api/admin/shops/${shop.id}/token`, ADMIN_TOKEN);
    const since = performance.now();
    assert.equal(rotated.status, 200);
    await refusedWithin(() => statusOn(urlB, shop.token), since);
    assert.equal(await statusOn(urlB, rotated.json.token), 200, 'the new token works there');
  });

  it('regenerate_api_key over MCP', async () => {
    const shop = await newShop('Rotated over MCP');
    await warm(shop.token);
    assert.equal(await mcpStatusOn(urlB, shop.token), 200);
    const applied = await callToolOverHttp(urlA, shop.token, 'regenerate_api_key', { confirm: true });
    const since = performance.now();
    assert.equal(applied.isError, undefined);
    await refusedWithin(() => mcpStatusOn(urlB, shop.token), since);
    const fresh = (applied.structuredContent as { token: string }).token;
    assert.equal(await mcpStatusOn(urlB, fresh), 200);
  });

  it("an agent's token is rotated", async () => {
    const shop = await newShop('Agent rotated');
    const agent = await newAgent(shop.token, 'rotated');
    await warm(agent.token);
    const rotated = await call(urlA, 'POST', `/api/agents/${agent.id}/token`, shop.token);
    const since = performance.now();
    assert.equal(rotated.status, 200);
    await refusedWithin(() => statusOn(urlB, agent.token), since);
    assert.equal(await statusOn(urlB, rotated.json.token), 200);
  });

  it('an agent is deleted', async () => {
    const shop = await newShop('Agent deleted');
    const agent = await newAgent(shop.token, 'deleted');
    await warm(agent.token);
    const deleted = await call(urlA, 'DELETE', `/api/agents/${agent.id}`, shop.token);
    const since = performance.now();
    assert.equal(deleted.status, 200);
    await refusedWithin(() => statusOn(urlB, agent.token), since);
  });

  it("an agent's permissions are taken away", async () => {
    const shop = await newShop('Agent narrowed');
    const agent = await newAgent(shop.token, 'narrowed');
    await warm(agent.token);
    const patched = await call(urlA, 'PATCH', `/api/agents/${agent.id}`, shop.token, { permissions: ['ai'] });
    const since = performance.now();
    assert.equal(patched.status, 200);
    await refusedWithin(() => statusOn(urlB, agent.token), since);
  });

  it('a shop is disabled, then enabled again', async () => {
    const shop = await newShop('Disabled');
    const agent = await newAgent(shop.token, 'of-disabled');
    await warm(shop.token);
    await warm(agent.token);
    const disabled = await call(urlA, 'POST', `/api/admin/shops/${shop.id}/disable`, ADMIN_TOKEN);
    const since = performance.now();
    assert.equal(disabled.status, 200);
    await refusedWithin(() => statusOn(urlB, shop.token), since);
    await refusedWithin(() => statusOn(urlB, agent.token), since);
    assert.equal((await call(urlA, 'POST', `/api/admin/shops/${shop.id}/enable`, ADMIN_TOKEN)).status, 200);
    assert.equal(await statusOn(urlB, shop.token), 200, 'a refused token is not remembered as refused');
  });

  it('a token rotated while every database connection is being re-opened is still refused', async () => {
    const shop = await newShop('Rotated during an outage');
    await warm(shop.token);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // Every connection of both processes, their LISTEN connections included: a NOTIFY sent before B
      // listens again is lost, and B must then forget what it remembered (lib/invalidation.ts).
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
    } finally {
      await admin.end();
    }
    // The pool of A may answer 503 until it has reconnected: the rotation is retried until it is made.
    let rotated: Awaited<ReturnType<typeof call>> | undefined;
    for (let attempt = 0; rotated?.status !== 200; attempt++) {
      assert.ok(attempt < 50, `the rotation kept failing: ${JSON.stringify(rotated?.json)}`);
      rotated = await call(urlA, 'POST', `/api/admin/shops/${shop.id}/token`, ADMIN_TOKEN);
    }
    const since = performance.now();
    // Reconnecting takes a pause (250 ms, then longer), so this allows more than the usual second, yet
    // far less than the 10 s B would otherwise remember the token for.
    for (;;) {
      const status = await statusOn(urlB, shop.token);
      if (status === 401 || status === 403) break;
      assert.ok([200, 503].includes(status), `B answered ${status}`);
      assert.ok(performance.now() - since < OUTAGE_DEADLINE_MS, 'B still accepts the old token');
    }
  });

  it('a shop is deleted', async () => {
    const shop = await newShop('Deleted');
    await warm(shop.token);
    const deleted = await call(urlA, 'DELETE', `/api/admin/shops/${shop.id}`, ADMIN_TOKEN);
    const since = performance.now();
    assert.equal(deleted.status, 200);
    await refusedWithin(() => statusOn(urlB, shop.token), since);
  });
});
