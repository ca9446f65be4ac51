/**
 * The delivery tools over MCP (`/api/mcp` through app.inject): test_webhook, list_webhook_deliveries,
 * redeliver_webhook and recover_webhooks, happy paths, bad input, isolation, and no secret in any answer.
 */
import { strict as assert } from 'node:assert';
import { afterEach, test } from 'node:test';
import { verifyWebhook } from '@parley/webhooks';
import type { Worker } from '../src/worker/index.ts';
import { postMcp } from './helpers/mcp.ts';
import type { TestApp } from './helpers/test-app.ts';
import {
  callError,
  callOk,
  configureWebhook,
  createTestWorker,
  deliveryOf,
  listDeliveries,
  mustRecord,
  readWebhook,
  runNextAttempt,
  webhookTestFile,
} from './helpers/webhooks.ts';

const SECRET = 'tools-secret-7f3a9c';
const OTHER_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let t: TestApp;
let worker: Worker;
const shopTokens: string[] = [];

const file = webhookTestFile((app) => {
  t = app;
  worker = createTestWorker(app);
});
afterEach(async () => {
  for (const token of shopTokens.splice(0)) await configureWebhook(t, token, { webhook_enabled: false });
});

async function receiverFor() {
  const receiver = await file.receiver();
  return receiver;
}

async function setup(settings: Record<string, unknown> = { webhook_secret: SECRET }) {
  const receiver = await receiverFor();
  const shop = await t.createShop();
  shopTokens.push(shop.token);
  await configureWebhook(t, shop.token, { webhook_url: receiver.url(), ...settings });
  return { ...shop, receiver };
}

test('tools/list: the delivery tools with titles, side effects and truthful annotations', async () => {
  const { token } = await setup();
  const listed = await postMcp(t.app, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { token });
  const tools = (listed.json.result?.tools ?? []) as Array<{
    name: string;
    title: string;
    description: string;
    annotations: Record<string, boolean>;
  }>;
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const expected: Record<string, [readOnly: boolean, idempotent: boolean, openWorld: boolean]> = {
    test_webhook: [false, false, true],
    list_webhook_deliveries: [true, true, false],
    redeliver_webhook: [false, false, true],
    recover_webhooks: [false, false, true],
  };
  for (const [name, [readOnly, idempotent, openWorld]] of Object.entries(expected)) {
    const tool = byName.get(name);
    assert.ok(tool !== undefined, name);
    assert.ok(tool.title.length > 0, name);
    assert.match(tool.description, readOnly ? /Read-only\./ : /Side effects:/, name);
    assert.deepEqual(
      [
        tool.annotations.readOnlyHint,
        tool.annotations.destructiveHint,
        tool.annotations.idempotentHint,
        tool.annotations.openWorldHint,
      ],
      [readOnly, false, idempotent, openWorld],
      name,
    );
  }
});

test('test_webhook sends a signed test event to the stored URL and reports it; the secret never shows', async () => {
  const { token, receiver } = await setup();
  receiver.script(() => ({ status: 200, body: '{"received":true}' }));
  const result = await callOk(t, token, 'test_webhook');
  const report = result.structuredContent;

  const request = await receiver.waitFor(1);
  assert.equal(request.header('x-webhook-event'), 'test');
  const verified = verifyWebhook({
    headers: request.headers,
    body: request.body,
    secret: SECRET,
    now: t.clock.now().getTime(),
  });
  assert.equal(verified.ok, true);
  assert.equal(JSON.parse(request.body.toString('utf8')).id, report.event_id);

  assert.equal(report.delivered, true);
  assert.equal(report.http_status, 200);
  assert.equal(report.response_excerpt, '{"received":true}');
  assert.equal(typeof report.latency_ms, 'number');
  assert.equal(report.signed, true);
  const headers = report.request_headers as Record<string, string>;
  assert.equal(headers['X-WAzion-Signature'], request.header('x-wazion-signature'));
  assert.equal(headers['webhook-signature'], request.header('webhook-signature'));
  assert.equal(headers['User-Agent'], 'Parley-Webhooks/test');
  assert.ok(!result.raw.includes(SECRET), 'the secret is never in the answer');
  assert.deepEqual((await listDeliveries(t, token)).deliveries, [], 'a test event is not stored');
});

test('test_webhook with another URL and secret, and a receiver that fails: a normal result saying so', async () => {
  const { token } = await setup();
  const other = await receiverFor();
  other.script(() => ({ status: 500, body: 'nope' }));
  const result = await callOk(t, token, 'test_webhook', {
    webhook_url: other.url('/other'),
    webhook_secret: OTHER_SECRET,
  });
  const request = await other.waitFor(1);
  assert.equal(request.path, '/other');
  const verified = verifyWebhook({
    headers: request.headers,
    body: request.body,
    secret: OTHER_SECRET,
    now: t.clock.now().getTime(),
  });
  assert.equal(verified.ok, true);
  assert.deepEqual(
    [
      result.structuredContent.delivered,
      result.structuredContent.http_status,
      result.structuredContent.response_excerpt,
    ],
    [false, 500, 'nope'],
  );
  assert.deepEqual(result.structuredContent.error, {
    class: 'http_status',
    code: 'HTTP_500',
    message: 'The receiver answered 500; only a 2xx counts as delivered.',
  });
  assert.ok(!result.raw.includes(OTHER_SECRET));
});

test('test_webhook refuses what it cannot send, saying what to fix', async () => {
  const fresh = await t.createShop();
  assert.match(
    await callError(t, fresh.token, 'test_webhook'),
    /^Error: No webhook_url: pass one, or configure the webhook first/,
  );
  const { token } = await setup();
  assert.match(
    await callError(t, token, 'test_webhook', { webhook_url: 'http://10.1.2.3/hook' }),
    /webhook_url is refused: .*PARLEY_ALLOW_PRIVATE_TARGETS/,
  );
  assert.match(
    await callError(t, token, 'test_webhook', { webhook_secret: 'whsec_***' }),
    /webhook_secret starts with whsec_ but what follows is not padded base64/,
  );
  assert.match(
    await callError(t, token, 'test_webhook', { webhook_url: 'not a url', colour: 'red' }),
    /webhook_url must be an absolute http\(s\) URL.*unknown field\(s\) "colour".*Accepted arguments: webhook_url, webhook_secret/,
  );
});

test('list_webhook_deliveries: newest first, filters, cursor pages, attempts', async () => {
  const { shopId, token, receiver } = await setup();
  receiver.script((request) =>
    request.header('x-webhook-event') === 'followup.replied'
      ? { status: 500, body: 'later' }
      : { status: 200 },
  );
  const delivered = await mustRecord(t, shopId, 'phone.detected');
  t.clock.advance(1000);
  const failed = await mustRecord(t, shopId, 'followup.replied');
  await worker.drain();
  t.clock.advance(1000);
  const pending = await mustRecord(t, shopId, 'followup.converted');

  const all = await listDeliveries(t, token);
  assert.deepEqual(
    all.deliveries.map((d) => [d.event_id, d.event, d.status, d.attempt_count]),
    [
      [pending, 'followup.converted', 'pending', 0],
      [failed, 'followup.replied', 'failed', 1],
      [delivered, 'phone.detected', 'delivered', 1],
    ],
  );
  assert.equal(all.next_cursor, null);
  assert.equal(all.webhook_state, 'active');
  const failedView = all.deliveries[1];
  assert.equal(failedView?.payload.id, failed);
  assert.equal(failedView?.next_attempt_at, new Date(t.clock.now().getTime() - 1000 + 5000).toISOString());
  assert.deepEqual(
    failedView?.attempts.map((a) => [a.attempt, a.outcome, a.http_status, a.error?.code, a.response_excerpt]),
    [[1, 'failed', 500, 'HTTP_500', 'later']],
  );

  const only = async (args: Record<string, unknown>) =>
    (await listDeliveries(t, token, args)).deliveries.map((d) => d.event_id);
  assert.deepEqual(await only({ status: 'failed' }), [failed]);
  assert.deepEqual(await only({ status: 'pending' }), [pending]);
  assert.deepEqual(await only({ status: 'delivered' }), [delivered]);
  assert.deepEqual(await only({ status: 'exhausted' }), []);
  assert.deepEqual(await only({ event: 'phone.detected' }), [delivered]);
  assert.deepEqual(await only({ since: new Date(t.clock.now().getTime() - 1000).toISOString() }), [
    pending,
    failed,
  ]);

  const first = await listDeliveries(t, token, { limit: 2 });
  assert.deepEqual(
    first.deliveries.map((d) => d.event_id),
    [pending, failed],
  );
  assert.equal(typeof first.next_cursor, 'string');
  const second = await listDeliveries(t, token, { limit: 2, cursor: first.next_cursor });
  assert.deepEqual(
    second.deliveries.map((d) => d.event_id),
    [delivered],
  );
  assert.equal(second.next_cursor, null);
});

test('list_webhook_deliveries refuses bad filters and cursors with what is valid', async () => {
  const { token } = await setup();
  assert.match(
    await callError(t, token, 'list_webhook_deliveries', { status: 'lost' }),
    /status: unknown status "lost"; valid statuses: pending, delivering, failed, delivered, exhausted/,
  );
  assert.match(
    await callError(t, token, 'list_webhook_deliveries', { since: 'yesterday', limit: 500 }),
    /since: since must be an ISO 8601 date-time.*limit: limit must be at most 100/,
  );
  assert.match(
    await callError(t, token, 'list_webhook_deliveries', { cursor: 'abc' }),
    /^Error: cursor is not a next_cursor returned by list_webhook_deliveries/,
  );
});

test('redeliver_webhook sends one event again now, with the same id and bytes, and reports it', async () => {
  const { shopId, token, receiver } = await setup();
  receiver.script((_request, index) => (index === 0 ? { status: 200 } : { status: 201, body: 'again' }));
  const eventId = await mustRecord(t, shopId);
  await worker.drain();
  assert.equal((await deliveryOf(t, token, eventId)).status, 'delivered');

  const result = await callOk(t, token, 'redeliver_webhook', { event_id: eventId });
  assert.deepEqual(
    [result.structuredContent.event_id, result.structuredContent.attempt, result.structuredContent.delivered],
    [eventId, 2, true],
  );
  assert.deepEqual(
    [
      result.structuredContent.http_status,
      result.structuredContent.response_excerpt,
      result.structuredContent.status,
    ],
    [201, 'again', 'delivered'],
  );
  const [first, second] = receiver.requests;
  assert.ok(first !== undefined && second !== undefined);
  assert.equal(second.header('x-webhook-id'), eventId);
  assert.equal(second.header('x-webhook-attempt'), '2');
  assert.ok(second.body.equals(first.body));
  assert.deepEqual(
    (await deliveryOf(t, token, eventId)).attempts.map((a) => [a.attempt, a.http_status]),
    [
      [1, 200],
      [2, 201],
    ],
  );
});

test('a successful redelivery resumes a paused webhook', async () => {
  const { shopId, token, receiver } = await setup();
  receiver.script((_request, index) => (index === 0 ? { status: 410 } : { status: 200 }));
  const eventId = await mustRecord(t, shopId);
  await worker.drain();
  assert.equal((await readWebhook(t, token)).delivery.state, 'paused');
  const result = await callOk(t, token, 'redeliver_webhook', { event_id: eventId });
  assert.equal(result.structuredContent.delivered, true);
  assert.equal((await readWebhook(t, token)).delivery.state, 'active');
});

test('redeliver_webhook: unknown, malformed or foreign event ids, and a disabled webhook', async () => {
  const a = await setup();
  const b = await setup();
  const eventOfA = await mustRecord(t, a.shopId);
  assert.match(
    await callError(t, b.token, 'redeliver_webhook', { event_id: eventOfA }),
    new RegExp(`^Error: No event ${eventOfA} in this shop\\. list_webhook_deliveries shows`),
  );
  assert.match(
    await callError(t, a.token, 'redeliver_webhook', { event_id: 'order-42' }),
    /event_id: event_id must be an event id such as evt_/,
  );
  assert.equal(b.receiver.requests.length + a.receiver.requests.length, 0, 'nothing was sent');
  await configureWebhook(t, a.token, { webhook_enabled: false });
  assert.match(
    await callError(t, a.token, 'redeliver_webhook', { event_id: eventOfA }),
    /The webhook is disabled, so nothing can be sent\. Enable it with configure_webhooks/,
  );
});

test('recover_webhooks re-sends what failed or was exhausted since the given instant, and says how many', async () => {
  const { shopId, token, receiver } = await setup();
  let up = false;
  receiver.script(() => (up ? { status: 200 } : { status: 503 }));
  const exhausted = await mustRecord(t, shopId);
  await worker.drain();
  for (let attempt = 2; attempt <= 10; attempt++) await runNextAttempt(t, worker, token, exhausted);
  const failed = await mustRecord(t, shopId);
  await worker.drain();
  const since = new Date(t.clock.now().getTime() - 3 * 24 * 3_600_000).toISOString();
  assert.deepEqual(
    [(await deliveryOf(t, token, exhausted)).status, (await deliveryOf(t, token, failed)).status],
    ['exhausted', 'failed'],
  );

  const later = new Date(t.clock.now().getTime() + 1000).toISOString();
  const nothing = await callOk(t, token, 'recover_webhooks', { since: later });
  assert.equal(nothing.structuredContent.requeued, 0);
  assert.equal(nothing.structuredContent.message, `Nothing to re-send: no delivery failed since ${later}.`);

  up = true;
  const result = await callOk(t, token, 'recover_webhooks', { since });
  assert.deepEqual(
    [result.structuredContent.requeued, result.structuredContent.failed, result.structuredContent.exhausted],
    [2, 1, 1],
  );
  assert.match(
    String(result.structuredContent.message),
    /^2 deliveries will be sent again now \(1 failed, 1 exhausted\)/,
  );
  const sentBefore = receiver.requests.length;
  await worker.drain();
  assert.equal(receiver.requests.length, sentBefore + 2);
  for (const eventId of [exhausted, failed])
    assert.equal((await deliveryOf(t, token, eventId)).status, 'delivered');

  const again = await callOk(t, token, 'recover_webhooks', { since });
  assert.equal(again.structuredContent.requeued, 0, 'delivered ones are not sent again');
});

test('recover_webhooks refuses a missing or unreadable since', async () => {
  const { token } = await setup();
  assert.match(await callError(t, token, 'recover_webhooks'), /since: /);
  assert.match(
    await callError(t, token, 'recover_webhooks', { since: '2026-02-30T25:00:00Z' }),
    /since: since is not a real date/,
  );
  assert.match(
    await callError(t, token, 'recover_webhooks', { since: 'last week' }),
    /since: since must be an ISO 8601 date-time with a time zone such as 2026-03-01T09:00:00Z, or a date such as 2026-03-01/,
  );
});
