/**
 * Attempts that finish together are recorded in one write (attempt-results.ts): each delivery moves on
 * by its own outcome, and the webhook's health takes the outcomes in the order they came.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import type { TestApp } from '../../../test/helpers/test-app.ts';
import {
  configureWebhook,
  shopWithEvents,
  readWebhook,
  webhookTestFile,
} from '../../../test/helpers/webhooks.ts';
import { webhookAttempts, webhookConfigs, webhookDeliveries } from '../../db/schema.ts';
import { createAttemptRecorder, recordAsKnown, recordAttempts } from './attempt-results.ts';
import { claimDueDeliveries, type ClaimedDelivery, type FinishedAttempt } from './delivery-store.ts';
import type { AttemptOutcome } from './outcome.ts';
import { noHealth } from './health.ts';
import type { WebhookHealthRow } from './health-store.ts';
import { decideAfterAttempt } from './retry-schedule.ts';

let t: TestApp;
const file = webhookTestFile((app) => {
  t = app;
});

const answered = (status: number): AttemptOutcome => ({
  delivered: status >= 200 && status < 300,
  httpStatus: status,
  latencyMs: 3,
  error:
    status < 300 ? null : { class: 'http_status', code: `HTTP_${status}`, message: `answered ${status}` },
  responseExcerpt: `status ${status}`,
  retryAfterMs: null,
  gone: status === 410,
});

function finished(claimed: ClaimedDelivery, status: number, now: Date): FinishedAttempt {
  const outcome = answered(status);
  return {
    claimed,
    sent: { startedAt: now, requestHeaders: {}, outcome },
    decision: decideAfterAttempt(claimed, outcome, now, () => 0),
    now,
  };
}

/** A shop with `count` events claimed for their first attempt, in the order they were recorded. */
async function claimedEvents(count: number) {
  const { eventIds, ...shop } = await shopWithEvents(t, (await file.receiver()).url(), count);
  const claims = await claimDueDeliveries(t.deps.db, t.clock.now(), {
    total: count,
    perKey: count,
    busy: new Map(),
  });
  const byId = new Map(claims.map((claim) => [claim.eventId, claim]));
  const claimed = eventIds.map((eventId) => byId.get(eventId));
  assert.ok(claimed.every((claim) => claim !== undefined));
  return { ...shop, claimed: claimed as ClaimedDelivery[] };
}

const statusesOf = async (eventIds: string[]) =>
  new Map(
    (
      await t.deps.db
        .select({ eventId: webhookDeliveries.eventId, status: webhookDeliveries.status })
        .from(webhookDeliveries)
        .where(inArray(webhookDeliveries.eventId, eventIds))
    ).map((row) => [row.eventId, row.status]),
  );

test('one batch moves each delivery by its own outcome and applies the outcomes to health in order', async () => {
  const { token, claimed } = await claimedEvents(3);
  const [failed, delivered, gone] = claimed as [ClaimedDelivery, ClaimedDelivery, ClaimedDelivery];
  const now = t.clock.now();

  const recorded = await recordAttempts(t.deps.db, [
    finished(failed, 500, now),
    finished(delivered, 200, now),
    finished(gone, 410, now),
  ]);

  assert.deepEqual(
    recorded.map((r) => r.current),
    [true, true, true],
  );
  assert.deepEqual(
    recorded.map((r) => [r.health?.before.failingSince !== null, r.health?.after.pausedAt !== null]),
    [
      [false, false],
      [true, false],
      [false, true],
    ],
    'failing after the 500, healthy again after the 200, paused by the 410',
  );
  const statuses = await statusesOf(claimed.map((c) => c.eventId));
  assert.deepEqual(
    [statuses.get(failed.eventId), statuses.get(delivered.eventId), statuses.get(gone.eventId)],
    ['queued', 'delivered', 'queued'],
  );
  const attempts = await t.deps.db
    .select({ eventId: webhookAttempts.eventId, httpStatus: webhookAttempts.httpStatus })
    .from(webhookAttempts)
    .where(eq(webhookAttempts.attempt, 1));
  const statusOf = new Map(attempts.map((a) => [a.eventId, a.httpStatus]));
  assert.deepEqual(
    claimed.map((c) => statusOf.get(c.eventId)),
    [500, 200, 410],
  );
  const { delivery } = await readWebhook(t, token);
  assert.deepEqual([delivery.state, delivery.pause_reason], ['paused', 'gone']);
  assert.equal(delivery.last_success_at, now.toISOString());
});

test('in one batch, an attempt whose claim was taken over is recorded but moves nothing; the others move', async () => {
  const { claimed } = await claimedEvents(2);
  const [current, superseded] = claimed as [ClaimedDelivery, ClaimedDelivery];
  const now = t.clock.now();
  // A later claim took `superseded` over: the attempt that finishes now is no longer the current one.
  await t.deps.db
    .update(webhookDeliveries)
    .set({ attempts: superseded.attempt + 1 })
    .where(eq(webhookDeliveries.eventId, superseded.eventId));

  const recorded = await recordAttempts(t.deps.db, [
    finished(current, 200, now),
    finished(superseded, 200, now),
  ]);

  assert.deepEqual(
    recorded.map((r) => r.current),
    [true, false],
  );
  const statuses = await statusesOf([current.eventId, superseded.eventId]);
  assert.deepEqual(
    [statuses.get(current.eventId), statuses.get(superseded.eventId)],
    ['delivered', 'delivering'],
  );
  const [attempt] = await t.deps.db
    .select({ outcome: webhookAttempts.outcome })
    .from(webhookAttempts)
    .where(eq(webhookAttempts.eventId, superseded.eventId));
  assert.equal(attempt?.outcome, 'delivered', 'what happened is recorded all the same');
});

test('an attempt sent to a URL that was replaced meanwhile leaves the new URL’s health alone', async () => {
  const { token, claimed } = await claimedEvents(1);
  const [old] = claimed as [ClaimedDelivery];
  await configureWebhook(t, token, { webhook_url: (await file.receiver()).url() });
  const [recorded] = await recordAttempts(t.deps.db, [finished(old, 410, t.clock.now())]);
  assert.equal(recorded?.health, null);
  assert.equal((await readWebhook(t, token)).delivery.state, 'active');
});

/** The webhook's URL and health as its row holds them, for a write made on what is known. */
async function healthRowOf(shopId: string): Promise<WebhookHealthRow> {
  const [row] = await t.deps.db.select().from(webhookConfigs).where(eq(webhookConfigs.shopId, shopId));
  assert.ok(row !== undefined);
  const { url, pausedAt, pauseReason, nextProbeAt, failingSince, lastSuccessAt, lastFailureAt } = row;
  return { url, health: { pausedAt, pauseReason, nextProbeAt, failingSince, lastSuccessAt, lastFailureAt } };
}

test('a write on the health as known is one statement with the locked write’s outcome, and nothing when the row changed', async () => {
  const { shopId, token, claimed } = await claimedEvents(3);
  const [first, second, third] = claimed as [ClaimedDelivery, ClaimedDelivery, ClaimedDelivery];
  const now = t.clock.now();
  const known = new Map([[shopId, await healthRowOf(shopId)]]);

  const written = await recordAsKnown(
    t.deps.db,
    [finished(first, 500, now), finished(second, 200, now)],
    known,
  );
  assert.ok(written !== null, 'the row is as known: written');
  assert.deepEqual(
    written.recorded.map((r) => [r.current, r.health?.after.failingSince?.getTime() ?? null]),
    [
      [true, now.getTime()],
      [true, null],
    ],
  );
  const statuses = await statusesOf([first.eventId, second.eventId]);
  assert.deepEqual([statuses.get(first.eventId), statuses.get(second.eventId)], ['queued', 'delivered']);
  assert.equal((await readWebhook(t, token)).delivery.last_success_at, now.toISOString());
  assert.deepEqual(
    written.after.get(shopId),
    await healthRowOf(shopId),
    'what it says it left is what the row holds',
  );

  // `known` is now behind the row (the 200 above moved last_success_at on): nothing is written.
  const stale = await recordAsKnown(t.deps.db, [finished(third, 200, t.clock.now())], known);
  assert.equal(stale, null);
  assert.equal((await statusesOf([third.eventId])).get(third.eventId), 'delivering');
  const attempts = await t.deps.db.$count(webhookAttempts, eq(webhookAttempts.eventId, third.eventId));
  assert.equal(attempts, 0);
});

test('the recorder applies a result to the health another process wrote since its last write', async () => {
  const { shopId, claimed } = await claimedEvents(2);
  const [warmUp, failing] = claimed as [ClaimedDelivery, ClaimedDelivery];
  const record = createAttemptRecorder(t.deps.db);
  await record(finished(warmUp, 200, t.clock.now()));
  // Another process's failure made the webhook failing since then; this recorder did not see it.
  const failingSince = new Date(t.clock.now().getTime() - 60_000);
  await t.deps.db
    .update(webhookConfigs)
    .set({ failingSince, lastFailureAt: failingSince })
    .where(eq(webhookConfigs.shopId, shopId));

  const now = t.clock.now();
  const recorded = await record(finished(failing, 500, now));
  assert.equal(recorded.health?.before.failingSince?.getTime(), failingSince.getTime());
  const { health } = await healthRowOf(shopId);
  assert.deepEqual(
    [health.failingSince?.getTime(), health.lastFailureAt?.getTime()],
    [failingSince.getTime(), now.getTime()],
    'failing since the other process’s failure, not since this one',
  );
});

test('a write on the health as known leaves a resume to the locked write', async () => {
  const { shopId, claimed } = await claimedEvents(1);
  const [delivered] = claimed as [ClaimedDelivery];
  const known = new Map([[shopId, await healthRowOf(shopId)]]);
  const paused = { ...noHealth, pausedAt: t.clock.now(), pauseReason: 'gone' as const };
  await t.deps.db.update(webhookConfigs).set(paused).where(eq(webhookConfigs.shopId, shopId));
  known.set(shopId, { url: known.get(shopId)?.url ?? null, health: paused });
  assert.equal(await recordAsKnown(t.deps.db, [finished(delivered, 200, t.clock.now())], known), null);
});
