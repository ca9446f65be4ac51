/**
 * Attempts that finish together are recorded in one transaction (attempt.ts): each delivery moves on
 * by its own outcome, and the webhook's health takes the outcomes in the order they came.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import type { TestApp } from '../../../test/helpers/test-app.ts';
import {
  configureWebhook,
  mustRecord,
  readWebhook,
  webhookTestFile,
} from '../../../test/helpers/webhooks.ts';
import { webhookAttempts, webhookDeliveries } from '../../db/schema.ts';
import { recordAttempts } from './attempt.ts';
import { claimDueDeliveries, type ClaimedDelivery, type FinishedAttempt } from './delivery-store.ts';
import type { AttemptOutcome } from './outcome.ts';
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
  const shop = await t.createShop();
  await configureWebhook(t, shop.token, { webhook_url: (await file.receiver()).url() });
  const eventIds: string[] = [];
  for (let i = 0; i < count; i++) {
    eventIds.push(await mustRecord(t, shop.shopId));
    t.clock.advance(1);
  }
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
