/**
 * A confirmed change is planned, checked and written in one transaction holding the shop's change lock
 * (docs/mcp.md#confirmed-changes), on PGlite and on PostgreSQL (PARLEY_TEST_DB): two confirmations of
 * one preview sent at once apply once, and a change that fails while it writes leaves the state, the
 * caches and the other after-commit effects as they were.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { queryRows } from '../src/db/database.ts';
import { crmTools, getRequestSigningSecret, listCrmEndpoints } from '../src/features/crm/index.ts';
import { readEndpointForCall } from '../src/features/crm/endpoint-cache.ts';
import { crmLatencySummary, recordCrmLatency } from '../src/features/crm/latency.ts';
import type { ConfirmedTool, Tool } from '../src/features/tool.ts';
import { runConfirmedTool } from '../src/mcp/confirmation-flow.ts';
import { callTool, textOf, type ToolCallResult } from './helpers/mcp.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { testDatabaseKind } from './helpers/test-database.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '100000' });
});
after(() => t.close());

const CRM_URL = 'http://127.0.0.1:9/crm/search';
const OTHER_URL = 'http://127.0.0.1:9/crm/other-search';

async function previewToken(token: string, name: string, args: Record<string, unknown>): Promise<string> {
  const preview = await callTool(t.app, token, name, args);
  assert.equal(preview.isError, undefined, textOf(preview));
  return preview.structuredContent?.confirmation_token as string;
}

/** Sends both confirmations at once; returns the one applied, after checking the other was refused. */
function oneApplied(results: ToolCallResult[]): ToolCallResult {
  const applied = results.filter((result) => result.isError === undefined);
  const refused = results.filter((result) => result.isError === true);
  assert.equal(applied.length, 1, `exactly one applies: ${results.map(textOf).join(' | ')}`);
  assert.equal(refused.length, 1);
  assert.match(textOf(refused[0]!), /does not match this change/);
  assert.match(textOf(refused[0]!), /Nothing was changed/);
  return applied[0]!;
}

test('two confirmations of one preview sent at once: one rotates the secret, the other is refused', async () => {
  const shop = await t.createShop();
  const token = await previewToken(shop.token, 'rotate_request_signing_secret', {});
  const confirm = () =>
    callTool(t.app, shop.token, 'rotate_request_signing_secret', {
      confirm: true,
      confirmation_token: token,
    });
  const applied = oneApplied(await Promise.all([confirm(), confirm()]));
  assert.equal(
    await getRequestSigningSecret(t.deps, shop.shopId),
    applied.structuredContent?.request_signing_secret,
    'the secret stored is the one shown',
  );
});

test('two confirmations of one endpoint change sent at once: the second sees the first one’s endpoint', async () => {
  const shop = await t.createShop();
  const args = { add_crm_endpoint: { type: 'globalSearch', url: CRM_URL } };
  const token = await previewToken(shop.token, 'update_crm_endpoints', args);
  const confirm = () =>
    callTool(t.app, shop.token, 'update_crm_endpoints', {
      ...args,
      confirm: true,
      confirmation_token: token,
    });
  oneApplied(await Promise.all([confirm(), confirm()]));
  const { endpoints } = await listCrmEndpoints(t.deps, shop.shopId);
  assert.deepEqual(
    endpoints.map((endpoint) => [endpoint.type, endpoint.url]),
    [['globalSearch', CRM_URL]],
  );
});

const updateEndpoints = crmTools.find((tool) => tool.name === 'update_crm_endpoints') as Extract<
  Tool,
  { kind: 'confirmed' }
>;

/**
 * update_crm_endpoints whose write fails after its last statement and its invalidations: what a lost
 * connection or a full disk at that point would do.
 */
const failingUpdate: ConfirmedTool<z.ZodObject> = {
  ...updateEndpoints,
  plan: async (args, ctx) => {
    const plan = await updateEndpoints.plan(args, ctx);
    return {
      ...plan,
      commit: async () => {
        await plan.commit();
        throw new Error('the write failed after its last statement');
      },
    };
  },
};

test('a change that fails while it writes is rolled back, and nothing after the commit runs', async () => {
  const shop = await t.createShop();
  const ctx = { shopId: shop.shopId, deps: t.deps };
  await callTool(t.app, shop.token, 'update_crm_endpoints', {
    add_crm_endpoint: { type: 'globalSearch', url: CRM_URL },
    confirm: true,
  });
  // What a replacement forgets once committed: the cached endpoint and the latency record.
  const cached = await readEndpointForCall(t.deps, shop.shopId, 'globalSearch');
  assert.equal(cached?.endpoint.url, CRM_URL);
  recordCrmLatency(t.deps, shop.shopId, 'globalSearch', 42);

  const args = { add_crm_endpoint: { type: 'globalSearch', url: OTHER_URL } };
  const token = await previewToken(shop.token, 'update_crm_endpoints', args);
  await assert.rejects(
    runConfirmedTool(failingUpdate, args, { confirm: true, confirmation_token: token }, ctx),
    /the write failed after its last statement/,
  );

  const { endpoints } = await listCrmEndpoints(t.deps, shop.shopId);
  assert.deepEqual(
    endpoints.map((endpoint) => [endpoint.type, endpoint.url]),
    [['globalSearch', CRM_URL]],
    'the replacement was rolled back',
  );
  assert.equal(
    await readEndpointForCall(t.deps, shop.shopId, 'globalSearch'),
    cached,
    'the cached endpoint was not invalidated',
  );
  assert.equal(crmLatencySummary(t.deps, shop.shopId, 'globalSearch').calls, 1, 'the latency record stays');

  // The same preview still matches, since nothing changed: confirming it with the real tool applies it,
  // and only then are the cache and the record forgotten.
  const applied = await callTool(t.app, shop.token, 'update_crm_endpoints', {
    ...args,
    confirm: true,
    confirmation_token: token,
  });
  assert.equal(applied.isError, undefined, textOf(applied));
  assert.equal((await readEndpointForCall(t.deps, shop.shopId, 'globalSearch'))?.endpoint.url, OTHER_URL);
  assert.equal(crmLatencySummary(t.deps, shop.shopId, 'globalSearch').calls, 0);
});

test('a refused confirmation rolls back and keeps its message; the shop can change again at once', async () => {
  const shop = await t.createShop();
  const args = { add_crm_endpoint: { type: 'globalSearch', url: CRM_URL } };
  const refused = await callTool(t.app, shop.token, 'update_crm_endpoints', {
    ...args,
    confirm: true,
    confirmation_token: 'forged',
  });
  assert.equal(refused.isError, true);
  assert.match(textOf(refused), /^Error: The confirmation_token does not match this change/);
  assert.deepEqual((await listCrmEndpoints(t.deps, shop.shopId)).endpoints, []);
  // The lock went with the rolled-back transaction: the next change does not wait for it.
  const applied = await callTool(t.app, shop.token, 'update_crm_endpoints', { ...args, confirm: true });
  assert.equal(applied.isError, undefined, textOf(applied));
});

const rotateSecret = crmTools.find((tool) => tool.name === 'rotate_request_signing_secret') as Extract<
  Tool,
  { kind: 'confirmed' }
>;

/** rotate_request_signing_secret that reports its plan, and whose write waits for `gate`. */
const observedRotation = (planned: () => void, gate: Promise<void>): ConfirmedTool<z.ZodObject> => ({
  ...rotateSecret,
  plan: async (args, ctx) => {
    const plan = await rotateSecret.plan(args, ctx);
    planned();
    return {
      ...plan,
      commit: async () => {
        await gate;
        return plan.commit();
      },
    };
  },
});

/** Whether a transaction of this database waits for an advisory lock (the shop's change lock). */
const waitsForChangeLock = async () =>
  (
    await queryRows<{ waiting: boolean }>(
      t.deps.db,
      sql`select exists (select 1 from pg_locks where locktype = 'advisory' and not granted
            and database = (select oid from pg_database where datname = current_database())) as waiting`,
    )
  )[0]?.waiting === true;

test(
  'a confirmation arriving while another is between its check and its write waits for it, then is refused',
  {
    skip:
      testDatabaseKind() === 'pglite' &&
      'PGlite runs one transaction at a time: the second waits for the whole first one, with no lock wait to observe',
  },
  async () => {
    const shop = await t.createShop();
    const ctx = { shopId: shop.shopId, deps: t.deps };
    const token = await previewToken(shop.token, 'rotate_request_signing_secret', {});
    const controls = { confirm: true, confirmation_token: token };
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let firstPlanned = () => {};
    const firstHasPlanned = new Promise<void>((resolve) => (firstPlanned = resolve));
    let secondHasPlanned = false;

    const first = runConfirmedTool(observedRotation(firstPlanned, gate), {}, controls, ctx);
    await firstHasPlanned;
    const second = runConfirmedTool(
      observedRotation(() => (secondHasPlanned = true), Promise.resolve()),
      {},
      controls,
      ctx,
    );
    // Held between its check and its write, the first change keeps the second out: it cannot even plan
    // (without the lock it would plan, pass the check and write a second secret before the first).
    while (!secondHasPlanned && !(await waitsForChangeLock()));
    assert.equal(secondHasPlanned, false, 'the second change planned while the first was open');
    openGate();
    oneApplied((await Promise.all([first, second])) as ToolCallResult[]);
  },
);
