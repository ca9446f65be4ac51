/**
 * A confirmed change is planned, checked and written in one transaction holding the shop's change lock
 * (docs/mcp.md#confirmed-changes), on PGlite and on PostgreSQL (PARLEY_TEST_DB): two confirmations of
 * one preview sent at once apply once, and a change that fails while it writes leaves the state, the
 * caches and the other after-commit effects as they were.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import type { z } from 'zod';
import { crmTools, getRequestSigningSecret, listCrmEndpoints } from '../src/features/crm/index.ts';
import { readEndpointForCall } from '../src/features/crm/endpoint-cache.ts';
import { crmLatencySummary, recordCrmLatency } from '../src/features/crm/latency.ts';
import type { ConfirmedTool, Tool } from '../src/features/tool.ts';
import { runConfirmedTool } from '../src/mcp/confirmation-flow.ts';
import { oneApplied, previewToken } from './helpers/confirmations.ts';
import { callTool, textOf } from './helpers/mcp.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '100000' });
});
after(() => t.close());

const CRM_URL = 'http://127.0.0.1:9/crm/search';
const OTHER_URL = 'http://127.0.0.1:9/crm/other-search';

test('two confirmations of one preview sent at once: one rotates the secret, the other is refused', async () => {
  const shop = await t.createShop();
  const token = await previewToken(t.app, shop.token, 'rotate_request_signing_secret', {});
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
  const token = await previewToken(t.app, shop.token, 'update_crm_endpoints', args);
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
  const token = await previewToken(t.app, shop.token, 'update_crm_endpoints', args);
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
