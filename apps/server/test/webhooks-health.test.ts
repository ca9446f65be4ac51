/**
 * Endpoint health: 5 days of failures pause a webhook, events keep being stored, a signed probe
 * goes out every 6 hours, and the first success resumes it and sends what it missed.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { verifyWebhook } from '@parley/webhooks';
import type { Worker } from '../src/worker/index.ts';
import type { TestApp } from './helpers/test-app.ts';
import type { WebhookReceiver } from './helpers/webhook-receiver.ts';
import {
  configureWebhook,
  createTestWorker,
  deliveryOf,
  mustRecord,
  readWebhook,
  runNextAttempt,
  webhookTestFile,
} from './helpers/webhooks.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const secret = 'health-check-secret';

let t: TestApp;
let worker: Worker;

const file = webhookTestFile((app) => {
  t = app;
  worker = createTestWorker(app);
});

async function setup() {
  const receiver = await file.receiver();
  const shop = await t.createShop();
  await configureWebhook(t, shop.token, { webhook_url: receiver.url(), webhook_secret: secret });
  return { ...shop, receiver };
}

const eventsSent = (receiver: WebhookReceiver) =>
  receiver.requests.map((request) => request.header('x-webhook-event'));

test('5 days of failures pause the webhook; probes every 6 hours; the first success resumes it and sends the backlog', async () => {
  const { shopId, token, receiver } = await setup();
  let up = false;
  receiver.script(() => (up ? { status: 200 } : { status: 502, body: 'bad gateway' }));
  const t0 = t.clock.now().getTime();

  // An event fails all its 10 attempts in about 3 days: the endpoint is failing, not yet paused.
  const exhausted = await mustRecord(t, shopId);
  await worker.drain();
  for (let attempt = 2; attempt <= 10; attempt++) await runNextAttempt(t, worker, token, exhausted);
  assert.equal((await deliveryOf(t, token, exhausted)).status, 'exhausted');
  let webhook = await readWebhook(t, token);
  assert.equal(webhook.delivery.state, 'active');
  assert.equal(webhook.delivery.failing_since, new Date(t0).toISOString());

  // A later event keeps failing; the first failure 5 days after the first one pauses the webhook.
  t.clock.set(new Date(t0 + 4.9 * DAY));
  const retried = await mustRecord(t, shopId);
  await worker.drain();
  while ((await readWebhook(t, token)).delivery.state === 'active') {
    await runNextAttempt(t, worker, token, retried);
  }
  const pausedAt = t.clock.now().getTime();
  assert.ok(pausedAt >= t0 + 5 * DAY && pausedAt < t0 + 5.5 * DAY, new Date(pausedAt).toISOString());
  webhook = await readWebhook(t, token);
  assert.equal(webhook.delivery.pause_reason, 'failing');
  assert.equal(webhook.delivery.next_probe_at, new Date(pausedAt + 6 * HOUR).toISOString());
  assert.equal(webhook.delivery.last_failure_at, new Date(pausedAt).toISOString());
  assert.equal(webhook.delivery.last_success_at, null);

  // Paused: events are still stored, nothing is sent until the probe.
  const held = await mustRecord(t, shopId);
  const sentBeforeProbe = receiver.requests.length;
  t.clock.set(new Date(pausedAt + 6 * HOUR - 1));
  await worker.drain();
  assert.equal(receiver.requests.length, sentBeforeProbe, 'nothing is sent while paused');
  assert.equal((await readWebhook(t, token)).delivery.pending, 2);

  // The probe: a signed `test` event, not stored. It fails: still paused, next probe 6 hours later.
  t.clock.advance(1);
  await worker.drain();
  assert.equal(receiver.requests.length, sentBeforeProbe + 1);
  const probe = await receiver.waitFor(sentBeforeProbe + 1);
  assert.equal(probe.header('x-webhook-event'), 'test');
  const verified = verifyWebhook({
    headers: probe.headers,
    body: probe.body,
    secret,
    now: t.clock.now().getTime(),
  });
  assert.equal(verified.ok, true);
  const probeBody = JSON.parse(probe.body.toString('utf8')) as {
    event: string;
    data: Record<string, unknown>;
  };
  assert.equal(probeBody.event, 'test');
  assert.equal(probeBody.data.probe, true);
  webhook = await readWebhook(t, token);
  assert.equal(webhook.delivery.state, 'paused');
  assert.equal(webhook.delivery.next_probe_at, new Date(pausedAt + 12 * HOUR).toISOString());

  // The receiver works again: the next probe resumes, and everything it missed is sent at once.
  up = true;
  t.clock.set(new Date(pausedAt + 12 * HOUR));
  await worker.drain();
  webhook = await readWebhook(t, token);
  assert.deepEqual(
    [
      webhook.delivery.state,
      webhook.delivery.pause_reason,
      webhook.delivery.failing_since,
      webhook.delivery.pending,
    ],
    ['active', null, null, 0],
  );
  assert.equal(webhook.delivery.last_success_at, t.clock.now().toISOString());
  const afterResume = receiver.requests.slice(sentBeforeProbe + 1);
  assert.deepEqual(eventsSent({ ...receiver, requests: afterResume }), [
    'test',
    'phone.detected',
    'phone.detected',
    'phone.detected',
  ]);
  assert.deepEqual(
    afterResume
      .slice(1)
      .map((request) => request.header('x-webhook-id'))
      .sort(),
    [exhausted, retried, held].sort(),
    'the retrying, the held and the exhausted-during-the-outage events',
  );
  for (const eventId of [exhausted, retried, held]) {
    assert.equal((await deliveryOf(t, token, eventId)).status, 'delivered', eventId);
  }
});

test('configuring a paused webhook resumes it and sends the held events at once', async () => {
  const { shopId, token, receiver } = await setup();
  receiver.script((_request, index) => (index === 0 ? { status: 410 } : { status: 200 }));
  const first = await mustRecord(t, shopId);
  await worker.drain();
  assert.equal((await readWebhook(t, token)).delivery.state, 'paused');
  const second = await mustRecord(t, shopId);
  await worker.drain();
  assert.equal(receiver.requests.length, 1);

  await configureWebhook(t, token, {});
  const webhook = await readWebhook(t, token);
  assert.deepEqual([webhook.delivery.state, webhook.delivery.next_probe_at], ['active', null]);
  await worker.drain();
  assert.deepEqual(
    receiver.requests
      .slice(1)
      .map((request) => request.header('x-webhook-id'))
      .sort(),
    [first, second].sort(),
  );
  assert.equal((await readWebhook(t, token)).delivery.pending, 0);
});
