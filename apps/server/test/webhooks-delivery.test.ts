/**
 * The delivery engine against a real receiver on loopback: what is recorded, the signed request,
 * retries with the same bytes, Retry-After, 410, redirects, the per-webhook timeout, exhaustion.
 */
import { strict as assert } from 'node:assert';
import { afterEach, test } from 'node:test';
import { verifyWazion, verifyWebhook } from '@parley/webhooks';
import { eq } from 'drizzle-orm';
import { webhookDeliveries, webhookEvents } from '../src/db/schema.ts';
import { recordWebhookEvent } from '../src/features/webhooks/index.ts';
import type { Worker } from '../src/worker/index.ts';
import type { TestApp } from './helpers/test-app.ts';
import {
  configureWebhook,
  createTestWorker,
  deliveryOf,
  mustRecord,
  readWebhook,
  recordEvent,
  runNextAttempt,
  webhookTestFile,
} from './helpers/webhooks.ts';

let t: TestApp;
let worker: Worker;
/** Tokens of the shops a test configured: their webhooks are disabled after it, so later clock moves leave them alone. */
const shopTokens: string[] = [];

const file = webhookTestFile((app) => {
  t = app;
  worker = createTestWorker(app);
});
afterEach(async () => {
  for (const token of shopTokens.splice(0)) await configureWebhook(t, token, { webhook_enabled: false });
  file.releaseAll();
});

/** A shop whose webhook posts every event to a fresh receiver. */
async function setup(settings: Record<string, unknown> = {}) {
  const receiver = await file.receiver();
  const shop = await t.createShop();
  shopTokens.push(shop.token);
  await configureWebhook(t, shop.token, { webhook_url: receiver.url(), ...settings });
  return { ...shop, receiver };
}

const SECOND = 1000;

test('an event is recorded only when the webhook is enabled and subscribes to it, in the caller’s transaction', async () => {
  const shop = await t.createShop();
  shopTokens.push(shop.token);
  assert.equal(await recordEvent(t, shop.shopId), null, 'never configured');

  await configureWebhook(t, shop.token, { webhook_url: 'http://127.0.0.1:9/h', webhook_events: ['test'] });
  assert.equal(await recordEvent(t, shop.shopId, 'phone.detected'), null, 'not subscribed');
  await configureWebhook(t, shop.token, { webhook_enabled: false, webhook_events: ['phone.detected'] });
  assert.equal(await recordEvent(t, shop.shopId, 'phone.detected'), null, 'disabled');

  await configureWebhook(t, shop.token, {});
  let written: string | undefined;
  await assert.rejects(
    t.deps.db.transaction(async (tx) => {
      const recorded = await recordWebhookEvent(tx, t.deps, {
        shopId: shop.shopId,
        event: 'phone.detected',
        data: { phone: '+34600000001' },
      });
      written = recorded?.eventId;
      throw new Error('the caller fails after recording');
    }),
    /the caller fails/,
  );
  assert.match(written ?? '', /^evt_/);
  const events = await t.deps.db.select().from(webhookEvents).where(eq(webhookEvents.shopId, shop.shopId));
  assert.deepEqual(events, [], 'rolled back with the caller');
  assert.equal((await readWebhook(t, shop.token)).delivery.pending, 0);

  const eventId = await mustRecord(t, shop.shopId);
  const [delivery] = await t.deps.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.eventId, eventId));
  assert.equal(delivery?.status, 'queued');
  assert.equal((await readWebhook(t, shop.token)).delivery.pending, 1);
});

test('a delivery carries the headers of docs/webhooks.md, both signatures verify, and the body is the event', async () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const { shopId, token, receiver } = await setup({ webhook_secret: secret });
  const eventId = await mustRecord(t, shopId, 'phone.detected');
  await worker.drain();

  const request = await receiver.waitFor(1);
  const now = t.clock.now();
  assert.equal(request.method, 'POST');
  assert.equal(request.path, '/hooks/parley');
  assert.equal(request.header('content-type'), 'application/json');
  assert.equal(request.header('user-agent'), 'Parley-Webhooks/test');
  assert.equal(request.header('x-webhook-id'), eventId);
  assert.equal(request.header('webhook-id'), eventId);
  assert.equal(request.header('x-webhook-event'), 'phone.detected');
  assert.equal(request.header('x-webhook-attempt'), '1');
  assert.equal(request.header('x-webhook-timestamp'), String(Math.floor(now.getTime() / 1000)));
  assert.equal(request.header('x-webhook-signature'), request.header('x-wazion-signature'));

  const standard = verifyWebhook({
    headers: request.headers,
    body: request.body,
    secret,
    schemes: ['standard'],
    now: now.getTime(),
  });
  assert.deepEqual(standard, {
    ok: true,
    scheme: 'standard',
    id: eventId,
    timestamp: Math.floor(now.getTime() / 1000),
  });
  assert.ok(verifyWazion(request.body, secret, request.header('x-wazion-signature') ?? ''));
  assert.ok(!verifyWazion(request.body, `${secret}x`, request.header('x-wazion-signature') ?? ''));

  assert.deepEqual(JSON.parse(request.body.toString('utf8')), {
    id: eventId,
    event: 'phone.detected',
    timestamp: now.toISOString(),
    data: { phone: '+34600111222', source: 'message' },
  });
  const delivery = await deliveryOf(t, token, eventId);
  assert.equal(delivery.status, 'delivered');
  assert.deepEqual(
    delivery.attempts.map((a) => [a.attempt, a.outcome, a.http_status, a.error, a.response_excerpt]),
    [[1, 'delivered', 200, null, 'ok']],
  );
  const health = (await readWebhook(t, token)).delivery;
  assert.deepEqual(
    [health.last_success_at, health.last_failure_at, health.pending],
    [now.toISOString(), null, 0],
  );
});

test('a webhook without a secret sends no signature headers, the rest unchanged', async () => {
  const { shopId, receiver } = await setup();
  const eventId = await mustRecord(t, shopId);
  await worker.drain();
  const request = await receiver.waitFor(1);
  assert.equal(request.header('x-webhook-id'), eventId);
  for (const name of ['x-wazion-signature', 'x-webhook-signature', 'webhook-signature']) {
    assert.equal(request.header(name), undefined, name);
  }
});

test('after a 500 the retry comes 5 s later with the same id, attempt 2 and identical bytes', async () => {
  const { shopId, token, receiver } = await setup({ webhook_secret: 'plain-secret' });
  receiver.script((_request, index) =>
    index === 0 ? { status: 500, body: 'database down' } : { status: 204 },
  );
  const eventId = await mustRecord(t, shopId);
  await worker.drain();
  assert.equal(receiver.requests.length, 1);
  const failed = await deliveryOf(t, token, eventId);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.next_attempt_at, new Date(t.clock.now().getTime() + 5 * SECOND).toISOString());
  assert.deepEqual(failed.attempts[0]?.error, {
    class: 'http_status',
    code: 'HTTP_500',
    message: 'The receiver answered 500; only a 2xx counts as delivered.',
  });
  assert.equal(failed.attempts[0]?.response_excerpt, 'database down');

  t.clock.advance(5 * SECOND - 1);
  await worker.drain();
  assert.equal(receiver.requests.length, 1, 'not before its time');
  t.clock.advance(1);
  await worker.drain();

  const [first, second] = receiver.requests;
  assert.ok(first !== undefined && second !== undefined);
  assert.equal(second.header('x-webhook-id'), first.header('x-webhook-id'));
  assert.equal(second.header('x-webhook-attempt'), '2');
  assert.ok(second.body.equals(first.body), 'the same bytes');
  assert.equal(second.header('x-wazion-signature'), first.header('x-wazion-signature'));
  assert.equal(Number(second.header('x-webhook-timestamp')) - Number(first.header('x-webhook-timestamp')), 5);
  const delivered = await deliveryOf(t, token, eventId);
  assert.deepEqual(
    [delivered.status, delivered.attempts.map((a) => [a.attempt, a.http_status])],
    [
      'delivered',
      [
        [1, 500],
        [2, 204],
      ],
    ],
  );
});

test('Retry-After on 503 (seconds) and 429 (HTTP date) delays the retry; on a 500 it is ignored', async () => {
  const { shopId, token, receiver } = await setup();
  const start = t.clock.now().getTime();
  const inOneHour = new Date(start + 120 * SECOND + 3600 * SECOND).toUTCString();
  receiver.script(
    (_request, index) =>
      [
        { status: 503, headers: { 'retry-after': '120' } },
        { status: 429, headers: { 'retry-after': inOneHour } },
        { status: 500, headers: { 'retry-after': '86400' } },
        { status: 200 },
      ][index] ?? { status: 200 },
  );
  const eventId = await mustRecord(t, shopId);
  await worker.drain();
  assert.equal(
    (await deliveryOf(t, token, eventId)).next_attempt_at,
    new Date(start + 120 * SECOND).toISOString(),
  );
  t.clock.advance(5 * SECOND);
  await worker.drain();
  assert.equal(receiver.requests.length, 1, 'the schedule alone would have retried after 5 s');

  await runNextAttempt(t, worker, token, eventId);
  assert.equal(receiver.requests.length, 2);
  assert.equal(
    (await deliveryOf(t, token, eventId)).next_attempt_at,
    new Date(start + 120 * SECOND + 3600 * SECOND).toISOString(),
  );
  await runNextAttempt(t, worker, token, eventId);
  assert.equal(receiver.requests.length, 3);
  const afterThird = await deliveryOf(t, token, eventId);
  assert.equal(
    afterThird.next_attempt_at,
    new Date(t.clock.now().getTime() + 30 * 60 * SECOND).toISOString(),
    'a 500 follows the schedule (30 min after the third failure)',
  );
});

test('a 410 pauses the webhook; later events are still stored and wait', async () => {
  const { shopId, token, receiver } = await setup();
  receiver.script(() => ({ status: 410, body: 'gone' }));
  const first = await mustRecord(t, shopId);
  await worker.drain();
  const webhook = await readWebhook(t, token);
  assert.equal(webhook.delivery.state, 'paused');
  assert.equal(webhook.delivery.pause_reason, 'gone');
  assert.equal(
    webhook.delivery.next_probe_at,
    new Date(t.clock.now().getTime() + 6 * 3600 * SECOND).toISOString(),
  );
  assert.match(
    (await deliveryOf(t, token, first)).attempts[0]?.error?.message ?? '',
    /410 Gone: the webhook is paused/,
  );

  const second = await mustRecord(t, shopId);
  t.clock.advance(3600 * SECOND);
  await worker.drain();
  assert.equal(receiver.requests.length, 1, 'nothing is sent while paused');
  assert.equal((await deliveryOf(t, token, second)).status, 'pending');
  assert.equal((await readWebhook(t, token)).delivery.pending, 2);
});

test('a redirect is a failure and is not followed', async () => {
  const { shopId, token, receiver } = await setup();
  receiver.script((request) =>
    request.path === '/hooks/parley'
      ? { status: 308, headers: { location: receiver.url('/elsewhere') } }
      : { status: 200 },
  );
  const eventId = await mustRecord(t, shopId);
  await worker.drain();
  assert.deepEqual(
    receiver.requests.map((request) => request.path),
    ['/hooks/parley'],
  );
  const delivery = await deliveryOf(t, token, eventId);
  assert.equal(delivery.status, 'failed');
  assert.equal(delivery.attempts[0]?.http_status, 308);
  assert.equal(delivery.attempts[0]?.error?.class, 'redirect');
  assert.equal(delivery.attempts[0]?.error?.code, 'REDIRECT');
  assert.match(delivery.attempts[0]?.error?.message ?? '', /redirects are not followed/);
});

test('a receiver slower than the webhook’s timeout fails the attempt with TIMEOUT', async () => {
  const { shopId, token, receiver } = await setup({ webhook_timeout_ms: 1000 });
  receiver.script(() => 'hang');
  const eventId = await mustRecord(t, shopId);
  await worker.drain();
  const delivery = await deliveryOf(t, token, eventId);
  assert.equal(delivery.status, 'failed');
  assert.deepEqual(
    [
      delivery.attempts[0]?.error?.class,
      delivery.attempts[0]?.error?.code,
      delivery.attempts[0]?.http_status,
    ],
    ['timeout', 'TIMEOUT', null],
  );
  assert.ok((delivery.attempts[0]?.latency_ms ?? 0) >= 1000);
});

test('after 10 failed attempts, spread over the schedule of docs/webhooks.md, the delivery is exhausted', async () => {
  const { shopId, token, receiver } = await setup();
  receiver.script(() => ({ status: 500 }));
  const eventId = await mustRecord(t, shopId);
  const start = t.clock.now().getTime();
  await worker.drain();
  for (let attempt = 2; attempt <= 10; attempt++) await runNextAttempt(t, worker, token, eventId);

  const delivery = await deliveryOf(t, token, eventId);
  assert.equal(delivery.status, 'exhausted');
  assert.equal(delivery.next_attempt_at, null);
  const offsets = delivery.attempts.map((a) => (Date.parse(a.started_at) - start) / SECOND);
  // 0, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h after each failure.
  assert.deepEqual(offsets, [0, 5, 305, 2105, 9305, 27305, 63305, 113705, 185705, 272105]);
  assert.deepEqual(
    receiver.requests.map((request) => request.header('x-webhook-attempt')),
    ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  );
  assert.ok(
    receiver.requests.every((request) => request.body.equals(receiver.requests[0]?.body ?? Buffer.alloc(0))),
  );

  t.clock.advance(7 * 24 * 3600 * SECOND);
  await worker.drain();
  assert.equal(receiver.requests.length, 10, 'no 11th attempt');
  assert.equal((await readWebhook(t, token)).delivery.pending, 0);
});
