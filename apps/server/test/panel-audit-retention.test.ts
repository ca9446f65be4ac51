/**
 * The lookup audit's retention: the worker's hourly sweep deletes what is older than
 * PARLEY_LOOKUP_AUDIT_RETENTION_DAYS, as the shop sees it through GET /api/panel/audit, and nothing
 * newer, nor any other shop's lookups. Time is the test app's manual clock.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { crmEndpointDefinition, panelAuditResponse } from '@parley/contract';
import { sql } from 'drizzle-orm';
import { applyCrmEndpointChange } from '../src/features/crm/index.ts';
import { auditRetentionCutoff, pruneLookupAudit } from '../src/features/panel/index.ts';
import { AUDIT_SWEEP_INTERVAL_MS } from '../src/features/panel/audit-retention.ts';
import { crmFixtures, startFakeCrm, type FakeCrm } from './helpers/fake-crm.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { countingLoopTurns } from './helpers/loop-turns.ts';
import { createTestWorker } from './helpers/webhooks.ts';

const RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;

let t: TestApp;
let crm: FakeCrm;

before(async () => {
  t = await startTestApp({ PARLEY_LOOKUP_AUDIT_RETENTION_DAYS: String(RETENTION_DAYS) });
  crm = await startFakeCrm();
});
after(async () => {
  await t.close();
  await crm.close();
});

async function shopWithCrm() {
  const shop = await t.createShop();
  await applyCrmEndpointChange(t.deps, shop.shopId, {
    add: crmEndpointDefinition.parse({ type: 'sidePanel_CustomerInfo', url: crm.url('/crm/customer') }),
  });
  return shop;
}

async function lookUp(token: string, phone: string) {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/panel/customer?phone=${encodeURIComponent(phone)}&refresh=1`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.statusCode, 200, response.body);
}

/** The shop's audit, newest first, as [phone, at]; reading it also writes the lookups buffered so far. */
async function auditOf(token: string) {
  const response = await t.app.inject({
    method: 'GET',
    url: '/api/panel/audit?limit=100',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.statusCode, 200, response.body);
  return panelAuditResponse.parse(response.json()).entries.map((entry) => [entry.phone, entry.at]);
}

test('the hourly sweep deletes lookups past the retention and keeps the rest', async () => {
  crm.answer('/crm/customer', { json: crmFixtures.sidePanel_CustomerInfo });
  const shop = await shopWithCrm();
  const other = await shopWithCrm();
  const start = t.clock.now().getTime();
  const at = (days: number) => new Date(start + days * DAY_MS).toISOString();

  await lookUp(shop.token, '+34600000001');
  await lookUp(other.token, '+34600000001');
  await auditOf(shop.token);
  t.clock.advance(10 * DAY_MS);
  await lookUp(shop.token, '+34600000010');
  await auditOf(shop.token);
  t.clock.advance(10 * DAY_MS);
  await lookUp(other.token, '+34600000020');
  await auditOf(other.token);

  // Day 30 and a minute: the lookups of day 0 are past the retention, but a worker sweeps only an hour
  // after it starts.
  t.clock.advance(10 * DAY_MS + 60_000);
  const worker = createTestWorker(t);
  await worker.drain();
  assert.deepEqual(await auditOf(shop.token), [
    ['+34600000010', at(10)],
    ['+34600000001', at(0)],
  ]);

  t.clock.advance(AUDIT_SWEEP_INTERVAL_MS);
  await worker.drain();
  assert.deepEqual(await auditOf(shop.token), [['+34600000010', at(10)]]);
  assert.deepEqual(await auditOf(other.token), [['+34600000020', at(20)]]);

  // Day 41: the sweeps go on, hourly; the lookup of day 10 goes, the other shop's of day 20 stays.
  t.clock.advance(11 * DAY_MS);
  await worker.drain();
  assert.deepEqual(await auditOf(shop.token), []);
  assert.deepEqual(await auditOf(other.token), [['+34600000020', at(20)]]);
});

test('a backlog larger than one delete is swept whole, and a batch is kept while its newest lookup is', async () => {
  const shop = await t.createShop();
  const now = t.clock.now().getTime();
  const old = new Date(now - (RETENTION_DAYS + 1) * DAY_MS).toISOString();
  const recent = new Date(now - (RETENTION_DAYS - 1) * DAY_MS).toISOString();
  // What years of lookups leave behind: 4,500 old batches of two lookups each.
  await t.deps.db.execute(sql`
    INSERT INTO panel_lookup_audit_batches
      (shop_id, oldest_at, newest_at, agent_ids, phones, statuses, cached, looked_up_at)
    SELECT ${shop.shopId}, ${old}::timestamptz, ${old}::timestamptz, ARRAY[NULL, NULL]::text[],
      ARRAY['+34600000001', '+34600000002'], ARRAY['found', 'found'], ARRAY[false, false],
      ARRAY[${old}::timestamptz, ${old}::timestamptz]
    FROM generate_series(1, 4500)`);
  // One batch that straddles the cutoff: its newest lookup is still within the retention.
  await t.deps.db.execute(sql`
    INSERT INTO panel_lookup_audit_batches
      (shop_id, oldest_at, newest_at, agent_ids, phones, statuses, cached, looked_up_at)
    VALUES (${shop.shopId}, ${old}::timestamptz, ${recent}::timestamptz, ARRAY[NULL, NULL]::text[],
      ARRAY['+34600000003', '+34600000004'], ARRAY['found', 'found'], ARRAY[false, false],
      ARRAY[${old}::timestamptz, ${recent}::timestamptz])`);

  // On PGlite the event loop turns only if the sweep yields between its deletes (three of them here).
  const { result: sweep, turns } = await countingLoopTurns(() =>
    pruneLookupAudit(t.deps, auditRetentionCutoff(t.deps)),
  );
  assert.ok(turns >= 3, `${turns} turns`);
  assert.equal(sweep.batches, 4_500);
  assert.equal(sweep.lookups, 9_000);
  assert.deepEqual(
    (await auditOf(shop.token)).map(([phone]) => phone),
    ['+34600000004', '+34600000003'],
  );
});
