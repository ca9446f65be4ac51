/**
 * The worker's limits and leases: a hanging receiver holds only its own shop's slots, and a claim
 * lost with its process is taken over once its lease ends (how PostgreSQL deployments recover).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DELIVERY_LEASE_MS } from '../src/features/webhooks/index.ts';
import type { TestApp } from './helpers/test-app.ts';
import {
  configureWebhook,
  createTestWorker,
  deliveryOf,
  mustRecord,
  webhookTestFile,
} from './helpers/webhooks.ts';

let t: TestApp;

const file = webhookTestFile((app) => {
  t = app;
});

async function setup() {
  const receiver = await file.receiver();
  const shop = await t.createShop();
  await configureWebhook(t, shop.token, { webhook_url: receiver.url() });
  return { ...shop, receiver };
}

test('one shop’s hanging receiver holds only its own slots; another shop’s deliveries go through', async () => {
  const worker = createTestWorker(t, { concurrency: 4, perKeyConcurrency: 2 });
  const slow = await setup();
  const fast = await setup();
  slow.receiver.script(() => 'hang');
  const slowEvents = [
    await mustRecord(t, slow.shopId),
    await mustRecord(t, slow.shopId),
    await mustRecord(t, slow.shopId),
  ];
  const fastEvent = await mustRecord(t, fast.shopId);

  const started = await worker.tick();
  assert.deepEqual(
    started.map((run) => run.label).sort(),
    [slowEvents[0], slowEvents[1], fastEvent].sort(),
    'the slow shop gets its cap of 2, the third of its events waits',
  );
  await started.find((run) => run.label === fastEvent)?.done;
  assert.equal((await deliveryOf(t, fast.token, fastEvent)).status, 'delivered');
  await slow.receiver.waitFor(2);
  assert.equal(slow.receiver.requests.length, 2);
  assert.deepEqual(await worker.tick(), [], 'the slow shop is at its cap, nothing else is due');
  assert.equal((await deliveryOf(t, slow.token, slowEvents[2] ?? '')).status, 'pending');

  slow.receiver.script(() => ({ status: 200 }));
  slow.receiver.release();
  await worker.drain();
  for (const eventId of slowEvents)
    assert.equal((await deliveryOf(t, slow.token, eventId)).status, 'delivered');
  assert.equal(slow.receiver.requests.length, 3);
});

test('a claim whose lease ended is taken over; the lost attempt, finishing late, cannot move the delivery', async () => {
  // Two workers stand for two processes on one database; the first one "dies" with its claim.
  const first = createTestWorker(t);
  const second = createTestWorker(t);
  const { shopId, token, receiver } = await setup();
  receiver.script(() => 'hang');
  const eventId = await mustRecord(t, shopId);

  const [lost] = await first.tick();
  assert.equal(lost?.label, eventId);
  await receiver.waitFor(1);
  assert.deepEqual(await second.tick(), [], 'the claim is held');
  assert.equal((await deliveryOf(t, token, eventId)).status, 'delivering');

  // Minutes pass: housekeeping jobs of the other sources fall due meanwhile; only deliveries count here.
  const deliveries = async (worker: typeof second) =>
    (await worker.tick()).filter((run) => run.label === eventId);
  t.clock.advance(DELIVERY_LEASE_MS - 1);
  assert.deepEqual(await deliveries(second), [], 'still within the lease');
  t.clock.advance(1);
  const [takeover] = await deliveries(second);
  assert.equal(takeover?.label, eventId);
  const retried = await receiver.waitFor(2);
  assert.equal(retried.header('x-webhook-attempt'), '2');
  assert.equal(retried.header('x-webhook-id'), eventId);
  assert.ok(retried.body.equals(receiver.requests[0]?.body ?? Buffer.alloc(0)));
  assert.deepEqual(
    (await deliveryOf(t, token, eventId)).attempts.map((a) => [a.attempt, a.outcome, a.error?.code]),
    [[1, 'interrupted', 'INTERRUPTED']],
  );

  // The lost attempt finally fails while its successor is in flight: it is recorded as what really
  // happened, but schedules nothing, since the delivery is no longer its to move.
  receiver.release({ status: 500 }, 1);
  await lost?.done;
  let delivery = await deliveryOf(t, token, eventId);
  assert.deepEqual([delivery.status, delivery.next_attempt_at], ['delivering', null]);
  assert.deepEqual(
    delivery.attempts.map((a) => [a.attempt, a.outcome, a.http_status]),
    [[1, 'failed', 500]],
  );

  receiver.release({ status: 200 });
  await takeover?.done;
  delivery = await deliveryOf(t, token, eventId);
  assert.deepEqual([delivery.status, delivery.attempt_count], ['delivered', 2]);
  assert.deepEqual(
    delivery.attempts.map((a) => [a.attempt, a.outcome, a.http_status]),
    [
      [1, 'failed', 500],
      [2, 'delivered', 200],
    ],
  );
});
