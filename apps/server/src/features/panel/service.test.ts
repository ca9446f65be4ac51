/**
 * The lookup cache over time and the per-shop cap, through the panel service with the real connector
 * and a fake CRM on loopback. The clock is moved by hand; `idle()` waits for background refreshes.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { crmEndpointDefinition } from '@parley/contract';
import { eq } from 'drizzle-orm';
import {
  crmFixtures,
  crmNotFoundFixture,
  startFakeCrm,
  type FakeCrm,
} from '../../../test/helpers/fake-crm.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { panelLookupAuditBatches } from '../../db/schema.ts';
import { applyCrmEndpointChange, createCrmGate } from '../crm/index.ts';
import type { PanelCaller } from './links.ts';
import { defaultPanelPolicy } from './policy.ts';
import { createPanelService, type PanelService } from './service.ts';

let t: TestApp;
let crm: FakeCrm;
const services: PanelService[] = [];

before(async () => {
  t = await startTestApp();
  crm = await startFakeCrm();
});
after(async () => {
  for (const service of services) await service.close();
  await t.close();
  await crm.close();
});

const LUCIA = '+34655123987';
const { found, notFound, error } = defaultPanelPolicy;

/** A shop whose customer endpoint is `path` on the fake CRM, and a panel service of its own. */
async function setUp(path: string, policy = defaultPanelPolicy, deps = t.deps) {
  const { shopId } = await t.createShop();
  await applyCrmEndpointChange(t.deps, shopId, {
    add: crmEndpointDefinition.parse({ type: 'sidePanel_CustomerInfo', url: crm.url(path) }),
  });
  crm.answer(path, { json: crmFixtures.sidePanel_CustomerInfo });
  const panel = createPanelService(deps, policy);
  services.push(panel);
  const caller: PanelCaller = { kind: 'shop', shopId };
  return {
    panel,
    shopId,
    calls: () => crm.requests.filter((request) => request.path === path).length,
    lookup: (phone = LUCIA, refresh = false) => panel.lookupCustomer(caller, { phone, refresh }),
  };
}

const renamed = (name: string) => ({
  json: { found: true, customers: [{ ...crmFixtures.sidePanel_CustomerInfo.customers[0], name }] },
});

test('fresh for the TTL, then served stale while one background call refreshes it', async () => {
  const path = '/crm/swr';
  const { panel, calls, lookup } = await setUp(path);
  const first = await lookup();
  assert.equal(first.customers[0]?.name, 'Lucía Fernández Ortega');

  crm.answer(path, renamed('Lucía F. Ortega'));
  t.clock.advance(found.freshMs - 1);
  assert.equal((await lookup()).cached, true);
  assert.equal(calls(), 1, 'fresh: no call');

  t.clock.advance(1);
  const stale = await lookup();
  assert.equal(stale.cached, true);
  assert.equal(stale.customers[0]?.name, 'Lucía Fernández Ortega', 'the stale answer is served at once');
  assert.equal(stale.fetched_at, first.fetched_at);
  await panel.idle();
  assert.equal(calls(), 2, 'one background refresh');

  const refreshed = await lookup();
  assert.equal(refreshed.cached, true);
  assert.equal(refreshed.customers[0]?.name, 'Lucía F. Ortega');
  assert.equal(refreshed.fetched_at, t.clock.now().toISOString());
  assert.equal(calls(), 2);
});

test('past the stale window the lookup waits for a fresh call', async () => {
  const { calls, lookup } = await setUp('/crm/expired');
  await lookup();
  t.clock.advance(found.freshMs + found.staleMs);
  const answer = await lookup();
  assert.equal(answer.cached, false);
  assert.equal(calls(), 2);
});

test('a failed refresh or refresh=1 never replaces the found answer', async () => {
  const path = '/crm/flaky';
  const { panel, calls, lookup } = await setUp(path);
  await lookup();
  crm.answer(path, { status: 503, json: { error: 'maintenance' } });

  t.clock.advance(found.freshMs);
  assert.equal((await lookup()).status, 'found');
  await panel.idle();
  assert.equal(calls(), 2);
  const forced = await lookup(LUCIA, true);
  assert.equal(forced.status, 'error');
  assert.equal(forced.error?.code, 'HTTP_STATUS');
  const afterFailures = await lookup();
  assert.deepEqual([afterFailures.status, afterFailures.cached], ['found', true]);
  await panel.idle();
});

test('a failure with nothing cached is remembered for a few seconds, then asked again', async () => {
  const path = '/crm/down';
  const { calls, lookup } = await setUp(path);
  crm.answer(path, { status: 503, json: { error: 'maintenance' } });
  const failed = await lookup();
  assert.deepEqual([failed.status, failed.cached], ['error', false]);
  t.clock.advance(error.freshMs - 1);
  const remembered = await lookup();
  assert.deepEqual([remembered.status, remembered.cached, calls()], ['error', true, 1]);

  crm.answer(path, { json: crmFixtures.sidePanel_CustomerInfo });
  t.clock.advance(1);
  assert.deepEqual([(await lookup()).status, calls()], ['found', 2]);
});

test('not found is kept for its short TTL and never served stale', async () => {
  const path = '/crm/unknown';
  const { calls, lookup } = await setUp(path);
  crm.answer(path, { json: crmNotFoundFixture });
  assert.equal((await lookup()).status, 'not_found');
  t.clock.advance(notFound.freshMs - 1);
  assert.deepEqual([(await lookup()).status, calls()], ['not_found', 1]);

  crm.answer(path, { json: crmFixtures.sidePanel_CustomerInfo });
  t.clock.advance(1);
  const created = await lookup();
  assert.deepEqual([created.status, created.cached, calls()], ['found', false, 2]);
});

test('one shop runs at most 8 CRM calls at once: the 9th waits, past the queue it is CRM_BUSY', async () => {
  const path = '/crm/slow';
  // The app's gate with a queue of one (runtime.ts makes it 200).
  const deps = { ...t.deps, crmGate: createCrmGate({ perShop: 8, queuedPerShop: 1 }) };
  const { calls, lookup } = await setUp(path, defaultPanelPolicy, deps);
  const other = await setUp('/crm/other-shop', defaultPanelPolicy, deps);
  await lookup('+34600000100'); // loads the shop's links, so the lookups below queue in call order

  let eightArrived!: () => void;
  const arrived = new Promise<void>((resolve) => (eightArrived = resolve));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const base = calls();
  crm.answer(path, () => {
    if (calls() - base === 8) eightArrived();
    return { json: crmFixtures.sidePanel_CustomerInfo, delay: held };
  });

  const phones = Array.from({ length: 9 }, (_, i) => `+3460000020${i}`);
  const hanging = phones.map((phone) => lookup(phone));
  await arrived;
  const busy = await lookup('+34600000300');
  assert.equal(busy.status, 'error');
  assert.equal(busy.error?.code, 'CRM_BUSY');
  assert.match(
    busy.error?.message ?? '',
    /already has 8 calls from Parley running and 1 waiting; try again in a moment/,
  );
  assert.equal(busy.latency_ms, null);
  assert.equal(calls() - base, 8, 'the 9th is still waiting');
  assert.equal((await other.lookup()).status, 'found', 'another shop is not held up');

  release();
  const answers = await Promise.all(hanging);
  assert.deepEqual(new Set(answers.map((a) => a.status)), new Set(['found']));
  assert.equal(calls() - base, 9);
});

test('closing the service writes the audit rows still buffered', async () => {
  const { panel, shopId, lookup } = await setUp('/crm/closing', {
    ...defaultPanelPolicy,
    auditFlushMs: 60 * 60_000,
  });
  await lookup();
  const batches = () =>
    t.deps.db.select().from(panelLookupAuditBatches).where(eq(panelLookupAuditBatches.shopId, shopId));
  assert.deepEqual(await batches(), [], 'buffered, not written yet');
  await panel.close();
  assert.deepEqual(
    (await batches()).map((batch) => [batch.phones, batch.agentIds, batch.statuses, batch.cached]),
    [[[LUCIA], [null], ['found'], [false]]],
  );
});
