/**
 * examples/webhook-receiver as an integrator runs it: it accepts real Parley deliveries (the engine,
 * its worker and the outbound client), handles a redelivery once, and refuses stale or altered
 * deliveries, which Parley then records as failed attempts.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { buildSignatureHeaders } from '@parley/webhooks';
import {
  startWebhookReceiverExample,
  type WebhookReceiverExample,
} from '../../../examples/webhook-receiver/server.ts';
import type { Worker } from '../src/worker/index.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { callOk, configureWebhook, createTestWorker, deliveryOf, mustRecord } from './helpers/webhooks.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let t: TestApp;
let worker: Worker;
let receiver: WebhookReceiverExample;
let shop: { shopId: string; token: string };

before(async () => {
  t = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '100000' });
  // Parley signs with its clock and the receiver checks against the real one: start them together.
  t.clock.set(new Date());
  worker = createTestWorker(t);
  receiver = await startWebhookReceiverExample({ port: 0, host: '127.0.0.1', secret: SECRET });
  shop = await t.createShop();
  await configureWebhook(t, shop.token, { webhook_url: receiver.url, webhook_secret: SECRET });
});
after(async () => {
  await receiver.close();
  await t.close();
});

const summary = () => receiver.events.map(({ id, attempt, deliveries }) => ({ id, attempt, deliveries }));

test('accepts a real delivery, and handles a redelivery of it once while answering 2xx', async () => {
  const eventId = await mustRecord(t, shop.shopId);
  await worker.drain();
  assert.equal((await deliveryOf(t, shop.token, eventId)).status, 'delivered');
  assert.deepEqual(summary(), [{ id: eventId, attempt: 1, deliveries: 1 }]);
  assert.deepEqual(receiver.events[0]?.payload.data, { phone: '+34600111222', source: 'message' });

  const again = await callOk(t, shop.token, 'redeliver_webhook', { event_id: eventId });
  assert.equal(again.structuredContent.http_status, 200);
  assert.deepEqual(summary(), [{ id: eventId, attempt: 1, deliveries: 2 }]);
});

test('refuses a delivery signed more than 5 minutes ago; Parley records the 401 and retries', async () => {
  const handled = summary();
  t.clock.set(new Date(Date.now() - 6 * 60_000));
  const eventId = await mustRecord(t, shop.shopId);
  await worker.drain();
  const delivery = await deliveryOf(t, shop.token, eventId);
  assert.equal(delivery.status, 'failed');
  assert.equal(delivery.attempts[0]?.http_status, 401);
  assert.match(delivery.attempts[0]?.response_excerpt ?? '', /TIMESTAMP_TOO_OLD/);
  assert.deepEqual(summary(), handled);
});

test('refuses a changed body, a wrong X-WAzion-Signature and an unsigned delivery', async () => {
  const handled = summary();
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    id: 'evt_manual',
    event: 'test',
    timestamp: new Date().toISOString(),
    data: {},
  });
  const signed = (payload: string, secret?: string) =>
    buildSignatureHeaders({ id: 'evt_manual', event: 'test', attempt: 1, timestamp, body: payload, secret });
  const post = async (headers: Record<string, string>, payload = body) => {
    const response = await fetch(receiver.url, { method: 'POST', headers, body: payload });
    const answer = (await response.json()) as { error?: { code: string } };
    return [response.status, answer.error?.code];
  };

  assert.deepEqual(await post(signed(body, SECRET), body.replace('{}', '{"x":1}')), [
    401,
    'NO_MATCHING_SIGNATURE',
  ]);
  const wazionOfAnotherBody = signed(`${body} `, SECRET)['X-WAzion-Signature'] ?? '';
  assert.deepEqual(await post({ ...signed(body, SECRET), 'X-WAzion-Signature': wazionOfAnotherBody }), [
    401,
    'NO_MATCHING_SIGNATURE',
  ]);
  assert.deepEqual(await post(signed(body)), [401, 'MISSING_HEADER']);
  assert.deepEqual(summary(), handled, 'nothing refused was handled');
  assert.deepEqual(await post(signed(body, SECRET)), [200, undefined], 'the genuine one passes');
});
