/**
 * The heartbeat's release, in-process with a manual clock (docs/operations.md): the claims of a process
 * whose row is stale (webhook deliveries, Smart Follow-up runs) are released by a live process's beat,
 * but only once that process has beaten for the staleness limit itself; the claims of a live process,
 * and claims made without a process id, are left to their leases. A process stopping marks itself stale.
 * The same SQL runs on PGlite and, with PARLEY_TEST_DB=postgres, on PostgreSQL.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { followupRuns, processHeartbeats, webhookDeliveries } from '../src/db/schema.ts';
import { DELIVERY_LEASE_MS } from '../src/features/webhooks/index.ts';
import { startRun } from '../src/features/followup/runs-store.ts';
import { createJobSources } from '../src/worker/catalog.ts';
import type { JobSource } from '../src/lib/jobs/index.ts';
import { createHeartbeat } from '../src/worker/index.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { configureWebhook, recordEvent } from './helpers/webhooks.ts';

const STALE_MS = 15_000;
let t: TestApp;
let shopId = '';

before(async () => {
  t = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '100000' });
  const shop = await t.createShop();
  shopId = shop.shopId;
  // Events are only recorded and claimed here, never sent: the URL need not answer.
  await configureWebhook(t, shop.token, { webhook_url: 'http://127.0.0.1:9/hook' });
});
after(() => t.close());

const limits = () => ({ total: 1, perKey: 1, busy: new Map<string, number>() });
const sourceNamed = (sources: readonly JobSource[], name: string) => sources.find((s) => s.name === name)!;

async function deliveryOf(eventId: string) {
  const [row] = await t.deps.db
    .select({ dueAt: webhookDeliveries.dueAt, claimedBy: webhookDeliveries.claimedBy })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.eventId, eventId));
  return row!;
}

test('a stale process’s deliveries and runs are released by a live process that has beaten long enough', async () => {
  const sources = createJobSources(t.deps, { random: () => 0 });
  const deliveries = sourceNamed(sources, 'webhook-delivery');
  const runs = sourceNamed(sources, 'followup-run');
  await t.deps.db.insert(processHeartbeats).values([
    { processId: 'proc_dead', label: 'gone:1', seenAt: sql`now() - interval '1 hour'` },
    { processId: 'proc_live', label: 'here:2', seenAt: sql`now()` },
  ]);

  // Three deliveries, claimed oldest first: by the dead process, by a live one, and by no process.
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await recordEvent(t, shopId, 'phone.detected', { phone: `+3460011122${i}` }))!.eventId);
    t.clock.advance(1);
  }
  const [deadId, liveId, anonymousId] = ids as [string, string, string];
  for (const processId of ['proc_dead', 'proc_live', undefined]) {
    const claimant = processId === undefined ? undefined : { processId };
    assert.equal((await deliveries.claim(limits(), claimant)).length, 1);
  }
  const leaseEnd = new Date(t.clock.now().getTime() + DELIVERY_LEASE_MS);
  assert.equal((await deliveryOf(deadId)).claimedBy, 'proc_dead');
  assert.equal((await deliveryOf(anonymousId)).claimedBy, null);

  const now = t.clock.now();
  const window = { from: new Date(now.getTime() - 86_400_000), to: now };
  const run = await t.deps.db.transaction((tx) =>
    startRun(tx, { shopId, trigger: 'manual', chatPhone: null, window }, now),
  );
  const [claimedRun] = await runs.claim(limits(), { processId: 'proc_dead' });
  assert.equal(claimedRun?.label, run.run.id);

  const heartbeat = createHeartbeat({
    db: t.deps.db,
    clock: t.clock,
    logger: t.deps.logger,
    sources,
    intervalMs: 1_000,
    staleAfterMs: STALE_MS,
  });
  await heartbeat.start();
  // Just started (or just back from an outage): not judging others yet.
  t.clock.advance(STALE_MS - 1);
  await heartbeat.beat();
  assert.equal((await deliveryOf(deadId)).dueAt.getTime(), leaseEnd.getTime(), 'still leased');
  const rows = await t.deps.db.select({ id: processHeartbeats.processId }).from(processHeartbeats);
  assert.ok(rows.some((row) => row.id === 'proc_dead'));

  t.clock.advance(1);
  await heartbeat.beat();
  const releasedAt = t.clock.now();
  assert.equal((await deliveryOf(deadId)).dueAt.getTime(), releasedAt.getTime(), 'due now');
  assert.ok((await deliveryOf(liveId)).dueAt > releasedAt, 'a live process keeps its claim');
  assert.ok((await deliveryOf(anonymousId)).dueAt > releasedAt, 'a claim without a process keeps its lease');
  const [runRow] = await t.deps.db.select().from(followupRuns).where(eq(followupRuns.id, run.run.id));
  assert.equal(runRow?.leaseUntil, null, 'the run is free to take over');
  assert.equal(runRow?.claimedBy, null);
  const left = await t.deps.db.select({ id: processHeartbeats.processId }).from(processHeartbeats);
  assert.deepEqual(left.map((row) => row.id).sort(), [heartbeat.processId, 'proc_live'].sort());

  // Taken over by this process, as the delivery's next attempt.
  const [retaken] = await deliveries.claim(limits(), { processId: heartbeat.processId });
  assert.equal(retaken?.label, deadId);
  assert.equal((await deliveryOf(deadId)).claimedBy, heartbeat.processId);

  // Stopping marks this process stale at once, for the next live process to release what it left.
  await heartbeat.stop();
  const [own] = await t.deps.db
    .select({ stale: sql<boolean>`${processHeartbeats.seenAt} < now() - interval '1 year'` })
    .from(processHeartbeats)
    .where(eq(processHeartbeats.processId, heartbeat.processId));
  assert.equal(own?.stale, true);
});
