/**
 * Two complete Parleys in one process share nothing (docs/architecture.md#state-belongs-to-the-app): each is
 * started by the real composition root (runtime.ts) with its own data dir and database (an embedded PGlite, or
 * a scratch database of its own on PostgreSQL), and each keeps its own token cache, per-shop CRM gate, metrics
 * registry and outbound client. Closing one leaves the other working.
 *
 * Both apps hold the same secret key, so one shop (row and token) can be copied from one database to the other:
 * the same shop id then meets both gates, which is what shows that they are two.
 */
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { crmEndpointDefinition } from '@parley/contract';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { apiTokens, shops } from '../src/db/schema.ts';
import { applyCrmEndpointChange } from '../src/features/crm/index.ts';
import { createShop } from '../src/features/shops/index.ts';
import { startRuntime, type Runtime } from '../src/runtime.ts';
import { crmFixtures, startFakeCrm, type FakeCrm } from './helpers/fake-crm.ts';
import { callTool } from './helpers/mcp.ts';
import { createScratchPostgresDatabase, testDatabaseKind } from './helpers/test-database.ts';

const SECRET_KEY = randomBytes(32).toString('base64');
const METRICS_TOKEN = `metrics-${randomBytes(16).toString('hex')}`;
const PHONE = '+34655123987';

interface TestParley {
  runtime: Runtime;
  /** Stops the runtime once; then removes its data dir and database. */
  close(): Promise<void>;
}

async function startParley(): Promise<TestParley> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-two-apps-'));
  const scratch = testDatabaseKind() === 'postgres' ? await createScratchPostgresDatabase() : undefined;
  const config = loadConfig({
    PARLEY_DATA_DIR: dataDir,
    ...(scratch === undefined ? {} : { DATABASE_URL: scratch.url }),
    PARLEY_SECRET_KEY: SECRET_KEY,
    PARLEY_METRICS_TOKEN: METRICS_TOKEN,
    PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
    PARLEY_LOG_LEVEL: 'silent',
    PARLEY_DISABLE_DEMO: 'true',
  });
  // One CRM call per shop at once and no queue, so that one held call fills a gate.
  const runtime = await startRuntime(config, {
    crmGate: { perShop: 1, queuedPerShop: 0 },
    worker: { pollIntervalMs: 3_600_000, shutdownGraceMs: 0 },
  });
  let closed: Promise<void> | undefined;
  return {
    runtime,
    close: () =>
      (closed ??= (async () => {
        await runtime.close();
        await scratch?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}

let crm: FakeCrm;
let a: TestParley;
let b: TestParley;
before(async () => {
  crm = await startFakeCrm();
  a = await startParley();
  b = await startParley();
});
after(async () => {
  await a.close();
  await b.close();
  await crm.close();
});

async function lookup(parley: TestParley, token: string, phone = PHONE, refresh = false) {
  const response = await parley.runtime.app.inject({
    method: 'GET',
    url: `/api/panel/customer?phone=${encodeURIComponent(phone)}${refresh ? '&refresh=1' : ''}`,
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    statusCode: response.statusCode,
    body: response.json<{ status: string; cached?: boolean; error?: { code: string } }>(),
  };
}

async function metricsText(parley: TestParley): Promise<string> {
  const response = await parley.runtime.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.body;
}

/** The value of one series in Prometheus text, 0 when the series is absent. */
function series(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const mcpRequests = (text: string) =>
  series(text, 'parley_http_request_duration_seconds_count', 'method="POST",route="/api/mcp",status="200"');
const healthCalls = (text: string) =>
  series(text, 'parley_mcp_tool_calls_total', 'tool="get_crm_health_status",outcome="ok"');

/** The shop of `from`, row and token, written into the database of `to`: the same shop id in both apps. */
async function copyShop(from: TestParley, to: TestParley, shopId: string): Promise<void> {
  const [shop] = await from.runtime.deps.db.select().from(shops).where(eq(shops.id, shopId));
  const tokens = await from.runtime.deps.db.select().from(apiTokens).where(eq(apiTokens.shopId, shopId));
  assert.ok(shop !== undefined);
  await to.runtime.deps.db.insert(shops).values(shop);
  await to.runtime.deps.db.insert(apiTokens).values(tokens);
}

/** Points the shop's customer endpoint in `parley` at a path of its own on the fake CRM. */
async function pointAtCrm(parley: TestParley, shopId: string): Promise<string> {
  const path = `/crm/${randomUUID()}`;
  crm.answer(path, { json: crmFixtures.sidePanel_CustomerInfo });
  await applyCrmEndpointChange(parley.runtime.deps, shopId, {
    add: crmEndpointDefinition.parse({ type: 'sidePanel_CustomerInfo', url: crm.url(path) }),
  });
  return path;
}

const newShop = async (parley: TestParley, name: string) => {
  const { shop, token } = await createShop(parley.runtime.deps, {
    name,
    country: 'ES',
    timezone: 'Europe/Madrid',
    locale: 'es-ES',
  });
  return { shopId: shop.id, token };
};

test('a shop token known (and cached) by one app is unknown to the other', async () => {
  const { token } = await newShop(a, 'Only in A');
  assert.equal((await lookup(a, token)).statusCode, 200);
  assert.equal((await lookup(a, token)).statusCode, 200, 'served from A’s token cache');
  assert.equal((await lookup(b, token)).statusCode, 401);
});

test('the same shop fills the CRM gate of one app and not of the other', async () => {
  const { shopId, token } = await newShop(a, 'In both');
  await copyShop(a, b, shopId);
  const pathA = await pointAtCrm(a, shopId);
  await pointAtCrm(b, shopId);

  const held = crm.hold(pathA, crmFixtures.sidePanel_CustomerInfo);
  const hanging = lookup(a, token);
  await held.reached;
  assert.deepEqual(a.runtime.deps.crmGate.load(shopId), { running: 1, waiting: 0 });

  const busy = await lookup(a, token, '+34600000001');
  assert.equal(busy.body.error?.code, 'CRM_BUSY', 'A’s gate is full');
  assert.deepEqual(b.runtime.deps.crmGate.load(shopId), { running: 0, waiting: 0 });
  const inB = await lookup(b, token);
  assert.deepEqual([inB.body.status, inB.body.cached], ['found', false], 'B calls the CRM at once');

  held.release();
  assert.equal((await hanging).body.status, 'found');
  assert.deepEqual(a.runtime.deps.crmGate.load(shopId), { running: 0, waiting: 0 });
});

test('each app counts only its own requests and tool calls', async () => {
  const { token } = await newShop(a, 'Metrics');
  const [beforeA, beforeB] = [await metricsText(a), await metricsText(b)];
  const result = await callTool(a.runtime.app, token, 'get_crm_health_status');
  assert.equal(result.isError, undefined);
  const [afterA, afterB] = [await metricsText(a), await metricsText(b)];

  assert.equal(mcpRequests(afterA), mcpRequests(beforeA) + 1);
  assert.equal(healthCalls(afterA), healthCalls(beforeA) + 1);
  assert.equal(mcpRequests(afterB), mcpRequests(beforeB), 'B saw no MCP request');
  assert.equal(healthCalls(afterB), 0, 'nor a tool call');
  // Each registry has the process metrics of its own, prefixed (none in prom-client's global registry).
  for (const text of [afterA, afterB]) {
    const typeLines = text
      .split('\n')
      .filter((line) => line.startsWith('# TYPE parley_process_cpu_seconds_total'));
    assert.equal(typeLines.length, 1);
  }
});

test('closing one app leaves the other working', async () => {
  const { shopId, token } = await newShop(b, 'Survivor');
  await pointAtCrm(b, shopId);
  await a.close();

  // A new CRM call through B's own outbound client, its gate and its cache.
  const found = await lookup(b, token, PHONE, true);
  assert.deepEqual([found.statusCode, found.body.status], [200, 'found']);
  const tool = await callTool(b.runtime.app, token, 'get_crm_health_status');
  assert.equal(tool.isError, undefined);
  assert.ok(healthCalls(await metricsText(b)) >= 1);
  const health = await b.runtime.app.inject({ method: 'GET', url: '/health' });
  assert.equal(health.json<{ status: string }>().status, 'ok');
});
