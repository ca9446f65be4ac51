/**
 * Load for the outage and process-death tests: a shop whose webhook subscribes to phone.detected, and
 * a stream of intake requests (each message writes one new number, so each success is one event).
 * A request answered 503 DATABASE_UNAVAILABLE is sent again, as a client would; anything else that is
 * not a 200 is kept for the test to fail on.
 */
import { EventEmitter, once } from 'node:events';
import { callToolOverHttp } from './mcp.ts';

export const WEBHOOK_SECRET = 'outage-test-secret-7c2a';

/** A shop made through the admin API, its webhook pointed at `webhookUrl`; returns the shop's token. */
export async function createShopWithWebhook(
  baseUrl: string,
  adminToken: string,
  webhookUrl: string,
): Promise<string> {
  const created = await fetch(`${baseUrl}/api/admin/shops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Outage shop' }),
  });
  if (created.status !== 201) throw new Error(`creating a shop answered ${created.status}`);
  const { token } = (await created.json()) as { token: string };
  const configured = await callToolOverHttp(baseUrl, token, 'configure_webhooks', {
    webhook_enabled: true,
    webhook_url: webhookUrl,
    webhook_secret: WEBHOOK_SECRET,
    webhook_events: ['phone.detected'],
    confirm: true,
  });
  if (configured.isError === true) throw new Error(`configure_webhooks: ${JSON.stringify(configured)}`);
  return token;
}

export interface IntakeStream {
  /** Every phone a 200 answer reported as detected (the chat's own number included). */
  detected: Set<string>;
  /** Requests answered 503 DATABASE_UNAVAILABLE (then sent again). */
  unavailable: number;
  /** Answers that were neither 200 nor 503 DATABASE_UNAVAILABLE, nor a connection refused, as text. */
  failures: string[];
  /** Requests answered 200 so far. */
  succeeded(): number;
  /** Resolves once `count` requests in total have been answered 200. */
  waitForSuccesses(count: number): Promise<void>;
  /** Resolves once `count` requests in total have been answered 503. */
  waitForUnavailable(count: number): Promise<void>;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

/** `senders` loops posting one new number each, to `baseUrls` in turn, until stopped. */
export function startIntakeStream(
  baseUrls: readonly string[],
  token: string,
  options: { senders: number; firstNumber: number },
): IntakeStream {
  const events = new EventEmitter();
  let successes = 0;
  let next = options.firstNumber;
  let running = true;
  const stream: IntakeStream = {
    detected: new Set(),
    unavailable: 0,
    failures: [],
    succeeded: () => successes,
    waitForSuccesses: (count) => waitFor(() => successes >= count),
    waitForUnavailable: (count) => waitFor(() => stream.unavailable >= count),
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };

  async function waitFor(done: () => boolean): Promise<void> {
    while (!done()) await once(events, 'answer');
  }

  async function postUntilAccepted(baseUrl: string, number: number): Promise<void> {
    for (;;) {
      const answer = await postNumber(baseUrl, token, number);
      if (answer.kind === 'unavailable') {
        stream.unavailable++;
        events.emit('answer');
        // Sent again shortly, as a client would (the message id makes it idempotent). The pause is a
        // client's backoff, not a wait for the server: nothing is asserted after it.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (answer.kind === 'accepted') {
        for (const phone of answer.detected) stream.detected.add(phone);
        // A retry of a request whose first try committed before its answer was lost detects nothing
        // new, yet the number was detected (and its event sent) by that first try.
        stream.detected.add(numberPhone(number));
        successes++;
      } else {
        // A refused or dropped connection is a crash, anything else a fault: kept, not retried.
        stream.failures.push(answer.text);
      }
      events.emit('answer');
      return;
    }
  }

  const loops = Array.from({ length: options.senders }, async (_, sender) => {
    for (let turn = 0; running; turn++) {
      await postUntilAccepted(baseUrls[(sender + turn) % baseUrls.length]!, next++);
    }
  });
  return stream;
}

/** The new number a request for `number` writes. */
const numberPhone = (number: number) => `+34655${String(number).padStart(6, '0')}`;

export type PostAnswer =
  { kind: 'accepted'; detected: string[] } | { kind: 'unavailable' } | { kind: 'failed'; text: string };

/** Posts one message writing the number `+34655<number>` (once per number: its message id). */
export async function postNumber(baseUrl: string, token: string, number: number): Promise<PostAnswer> {
  const phone = numberPhone(number);
  const body = JSON.stringify({
    chat_phone: '+34611999000',
    messages: [
      {
        id: `m-${number}`,
        direction: 'in',
        text: `Mi otro número es ${phone}`,
        sent_at: '2026-03-02T09:00:00Z',
      },
    ],
  });
  let status: number;
  let text: string;
  try {
    const response = await fetch(`${baseUrl}/api/conversations/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return { kind: 'failed', text: `request failed: ${String(error)}` };
  }
  if (status === 200) {
    const answer = JSON.parse(text) as { detected_phones: Array<{ phone: string }> };
    return { kind: 'accepted', detected: answer.detected_phones.map((detected) => detected.phone) };
  }
  if (status === 503 && text.includes('"DATABASE_UNAVAILABLE"')) return { kind: 'unavailable' };
  return { kind: 'failed', text: `${status} ${text}` };
}
