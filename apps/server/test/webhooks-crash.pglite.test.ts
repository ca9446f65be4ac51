/**
 * No event is lost when the server process dies (at least once:
 * docs/webhooks.md#delivery-success-retries-pauses). The real server is killed with SIGKILL (a) while events
 * wait in the queue behind deliveries the receiver has not answered, and (b) while one delivery is in flight;
 * it is restarted on the same data dir each time. The receiver, a real HTTP server, must end up with every
 * event at least once, as signed, same bytes.
 *
 * Embedded mode only (hence .pglite.test.ts): a restart re-queues claims in flight at once. On
 * PostgreSQL they wait for their 4-minute lease, which webhooks-worker.test.ts covers with a clock.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { postConversationMessagesResponse } from '@parley/contract';
import { verifyWebhook } from '@parley/webhooks';
import { callToolOverHttp } from './helpers/mcp.ts';
import { spawnServer, waitUntilListening, type ServerProcess } from './helpers/server-process.ts';
import { startWebhookReceiver, type ReceivedRequest } from './helpers/webhook-receiver.ts';
import type { DeliveryPage } from './helpers/webhooks.ts';

const SECRET = 'crash-test-secret-5d1e';
const dataDir = mkdtempSync(join(tmpdir(), 'parley-webhooks-crash-'));
const receiver = await startWebhookReceiver();
let server: ServerProcess | undefined;

after(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  receiver.release();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<string> {
  server = spawnServer({ PARLEY_DATA_DIR: dataDir, PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
  return waitUntilListening(server);
}

async function kill(): Promise<void> {
  server?.child.kill('SIGKILL');
  assert.equal((await server?.exited)?.signal, 'SIGKILL');
  server = undefined;
}

/** One chat's messages, each writing one more number: the chat's own number counts once per shop. */
async function ingest(
  baseUrl: string,
  token: string,
  chatPhone: string,
  phones: string[],
): Promise<string[]> {
  const response = await fetch(`${baseUrl}/api/conversations/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      chat_phone: chatPhone,
      messages: phones.map((phone, index) => ({
        id: `${chatPhone}-${phone}`,
        direction: 'in',
        text: `Mi otro número es ${phone}, gracias (${index})`,
        sent_at: '2026-03-02T09:00:00Z',
      })),
    }),
  });
  assert.equal(response.status, 200);
  return postConversationMessagesResponse.parse(await response.json()).detected_phones.map((d) => d.phone);
}

/** `count` Spanish mobile numbers from +34655100<first>, as written in messages. */
const numbers = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => `+34655100${first + i}`);

const idOf = (request: ReceivedRequest) => request.header('x-webhook-id') ?? '';

/** Event ids the receiver answered with 200: delivered, as far as the receiver is concerned. */
const acknowledged = new Set<string>();

/** Answers each request with 200, or holds it open ('hang') when `hold` says so. */
function answer(hold: (request: ReceivedRequest) => boolean): void {
  receiver.script((request) => {
    if (hold(request)) return 'hang';
    acknowledged.add(idOf(request));
    return { status: 200 };
  });
}

/** Waits request by request, never on a timer, until `done` holds. */
async function waitUntil(done: () => boolean): Promise<void> {
  for (let next = receiver.requests.length + 1; !done(); next++) await receiver.waitFor(next);
}

/**
 * Every detected phone's event was answered 200 at least once, and no other event arrived; every
 * request carried a valid signature over the bytes received. Returns the phone of each event id.
 */
function assertEveryEventDelivered(detected: readonly string[]): Map<string, string> {
  const phones = new Map<string, string>();
  for (const request of receiver.requests) {
    const verified = verifyWebhook({ headers: request.headers, body: request.body, secret: SECRET });
    assert.ok(verified.ok, `${idOf(request)}: ${verified.ok ? '' : verified.code}`);
    const body = JSON.parse(request.body.toString('utf8')) as { id: string; data: { phone: string } };
    assert.equal(body.id, idOf(request));
    phones.set(body.id, body.data.phone);
  }
  assert.deepEqual([...phones.values()].sort(), [...detected].sort(), 'one event per detected phone');
  assert.deepEqual([...acknowledged].sort(), [...phones.keys()].sort(), 'every event answered 200');
  return phones;
}

/** The attempt numbers with which one event arrived, in order. */
const attemptsOf = (id: string) =>
  receiver.requests.filter((r) => idOf(r) === id).map((r) => r.header('x-webhook-attempt'));

/** An attempt lost with the process was sent again, counted as the next attempt, with the same bytes. */
function assertResentAfterCrash(id: string): void {
  assert.deepEqual(attemptsOf(id), ['1', '2'], id);
  const [sent, resent] = receiver.requests.filter((r) => idOf(r) === id);
  assert.ok(
    sent !== undefined && resent !== undefined && sent.body.equals(resent.body),
    `${id}: the same bytes`,
  );
}

describe('webhook deliveries survive SIGKILL of the server process', { timeout: 300_000 }, () => {
  let token = '';
  let baseUrl = '';
  const detected: string[] = [];

  it('(a) killed with deliveries unanswered and events queued behind them: all arrive after the restart', async () => {
    answer(() => true);
    baseUrl = await start();
    const banner = await server!.waitForLine((l) => /^Demo shop .* token: pk_shop_\S+$/.test(l));
    token = banner.slice(banner.lastIndexOf(' ') + 1);
    const configured = await callToolOverHttp(baseUrl, token, 'configure_webhooks', {
      webhook_enabled: true,
      webhook_url: receiver.url(),
      webhook_secret: SECRET,
      webhook_events: ['phone.detected'],
      confirm: true,
    });
    assert.equal(configured.isError, undefined, JSON.stringify(configured));

    // Four deliveries held open by the receiver fill the shop's cap of 4 concurrent deliveries...
    const first = await ingest(baseUrl, token, '+34611000001', numbers(101, 3));
    assert.equal(first.length, 4);
    await receiver.waitFor(4);
    // ... so these four stay queued, never sent, when the process dies.
    const queued = await ingest(baseUrl, token, '+34611000001', numbers(104, 4));
    assert.equal(queued.length, 4);
    detected.push(...first, ...queued);
    const inFlight = [...new Set(receiver.requests.map(idOf))];
    assert.equal(inFlight.length, 4);
    await kill();

    answer(() => false);
    baseUrl = await start();
    await waitUntil(() => acknowledged.size === detected.length);
    const phones = assertEveryEventDelivered(detected);
    for (const id of inFlight) assertResentAfterCrash(id);
    // Sent once, as attempt 1: they were still queued when the process died.
    for (const [id, phone] of phones) if (queued.includes(phone)) assert.deepEqual(attemptsOf(id), ['1'], id);
  });

  it('(b) killed while the receiver holds a delivery in flight: it arrives again, nothing is lost', async () => {
    // The first new event is held open; everything else is answered at once.
    let held: string | undefined;
    answer((request) => {
      if (held !== undefined || acknowledged.has(idOf(request))) return false;
      held = idOf(request);
      return true;
    });
    const more = await ingest(baseUrl, token, '+34611000002', numbers(108, 2));
    assert.equal(more.length, 3);
    detected.push(...more);
    await waitUntil(() => held !== undefined);
    await kill();

    answer(() => false);
    baseUrl = await start();
    await waitUntil(() => acknowledged.size === detected.length);
    const received = assertEveryEventDelivered(detected);
    assertResentAfterCrash(held!);

    // The server's own record lists exactly the events the receiver has.
    const listed = await callToolOverHttp(baseUrl, token, 'list_webhook_deliveries', { limit: 100 });
    const page = listed.structuredContent as unknown as DeliveryPage;
    assert.deepEqual(page.deliveries.map((d) => d.event_id).sort(), [...received.keys()].sort());
  });
});
