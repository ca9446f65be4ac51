/**
 * One per-shop CRM gate for every caller (docs/crm-endpoints.md#how-many-calls-at-once): with the shop's one
 * slot held by a panel lookup and no queue, the assistant's context, Smart Follow-up's purchase check, the
 * probe and test_crm_endpoint each meet a full gate their own way, nothing reaches the CRM, the endpoint's
 * health is untouched, and another shop is not held up.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { crmEndpointDefinition, type CrmEndpointType } from '@parley/contract';
import { and, eq } from 'drizzle-orm';
import { crmEndpoints } from '../src/db/schema.ts';
import { gatherCustomerContext } from '../src/features/assistant/index.ts';
import { applyCrmEndpointChange, crmTools, probeDisabledCrmEndpoints } from '../src/features/crm/index.ts';
import { checkPurchase } from '../src/features/followup/purchase-check.ts';
import { assertAppError, directTools } from './helpers/direct-tools.ts';
import { crmFixtures, startFakeCrm, type FakeCrm } from './helpers/fake-crm.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let crm: FakeCrm;
before(async () => {
  [t, crm] = await Promise.all([
    startTestApp({}, { crmGate: { perShop: 1, queuedPerShop: 0 } }),
    startFakeCrm(),
  ]);
});
after(async () => {
  await crm.close();
  await t.close();
});

const PHONE = '+34655123987';
const BUSY = /already has 1 calls from Parley running and 0 waiting; try again in a moment/;

/** A shop whose endpoints of `types` each answer at their own path on the fake CRM. */
async function shopWith(types: CrmEndpointType[]) {
  const { shopId, token } = await t.createShop();
  const base = `/crm/${randomUUID()}`;
  for (const type of types) {
    crm.answer(`${base}/${type}`, { json: crmFixtures[type] });
    await applyCrmEndpointChange(t.deps, shopId, {
      add: crmEndpointDefinition.parse({ type, url: crm.url(`${base}/${type}`) }),
    });
  }
  return { shopId, token, base, requests: () => crm.requests.filter((r) => r.path.startsWith(base)).length };
}

async function lookup(token: string, phone: string) {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/panel/customer?phone=${encodeURIComponent(phone)}`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ status: string; error?: { code: string; message: string } }>();
}

test('a full gate turns every caller away before the CRM, each in its own way', async () => {
  const shop = await shopWith(['sidePanel_CustomerInfo', 'ai_CustomerInitialInfo', 'verify_conversion']);
  const held = crm.hold(`${shop.base}/sidePanel_CustomerInfo`, crmFixtures.sidePanel_CustomerInfo);
  const hanging = lookup(shop.token, PHONE);
  await held.reached;
  assert.deepEqual(t.deps.crmGate.load(shop.shopId), { running: 1, waiting: 0 });

  // The panel: status error, code CRM_BUSY.
  const busy = await lookup(shop.token, '+34600000001');
  assert.equal(busy.status, 'error');
  assert.equal(busy.error?.code, 'CRM_BUSY');
  assert.match(busy.error?.message ?? '', BUSY);

  // The assistant: no customer data, the reason in context_sources, and no fallback behind the same queue.
  const context = await gatherCustomerContext(t.deps, shop.shopId, PHONE, []);
  assert.equal(context.data, null);
  assert.equal(context.sources.length, 1);
  assert.equal(context.sources[0]?.kind === 'crm' && context.sources[0].status, 'error');
  assert.equal(context.sources[0]?.kind === 'crm' && context.sources[0].error?.code, 'CRM_BUSY');

  // Smart Follow-up: unknown, which never leads to a follow-up (followup/run.ts: crm_unavailable).
  const purchase = await checkPurchase(t.deps, shop.shopId, PHONE, new Date('2026-03-01T00:00:00Z'));
  assert.equal(purchase.kind, 'unknown');
  assert.match(
    purchase.kind === 'unknown' ? purchase.message : '',
    /^verify_conversion: .*already has 1 calls/,
  );

  // test_crm_endpoint: an error that says the CRM is busy, with 503.
  const tools = directTools(crmTools, t.deps, shop.shopId);
  await assertAppError(tools.run('test_crm_endpoint', { type: 'verify_conversion' }), 'CRM_BUSY', BUSY);

  // The probe of a disabled endpoint of the shop: skipped, left for its next turn, not counted as a failure.
  await t.deps.db
    .update(crmEndpoints)
    .set({ enabled: false, disabledAt: new Date(t.clock.now().getTime() - 3_600_000), consecutiveErrors: 5 })
    .where(and(eq(crmEndpoints.shopId, shop.shopId), eq(crmEndpoints.type, 'ai_CustomerInitialInfo')));
  const probed = (await probeDisabledCrmEndpoints(t.deps)).filter((result) => result.shopId === shop.shopId);
  assert.deepEqual(probed, [
    { shopId: shop.shopId, type: 'ai_CustomerInitialInfo', reenabled: false, error: 'CRM_BUSY' },
  ]);
  const [row] = await t.deps.db
    .select()
    .from(crmEndpoints)
    .where(and(eq(crmEndpoints.shopId, shop.shopId), eq(crmEndpoints.type, 'ai_CustomerInitialInfo')));
  assert.equal(row?.consecutiveErrors, 5, 'a call that was never sent is not an error of the endpoint');

  assert.equal(shop.requests(), 1, 'only the held lookup reached the CRM');

  // Another shop has slots of its own.
  const other = await shopWith(['sidePanel_CustomerInfo']);
  assert.equal((await lookup(other.token, PHONE)).status, 'found');

  held.release();
  assert.equal((await hanging).status, 'found');
  assert.deepEqual(t.deps.crmGate.load(shop.shopId), { running: 0, waiting: 0 });
  const tested = await tools.run('test_crm_endpoint', { type: 'verify_conversion' });
  assert.equal(tested.ok, true, 'the slot is free again');
});
