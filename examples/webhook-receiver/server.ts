/**
 * A webhook receiver for Parley on node:http, doing what every receiver should: verify both signatures
 * over the raw bytes (verify.ts), refuse stale deliveries, handle each event once however often it
 * arrives (recent-events.ts), and answer 2xx at once. `npm run webhook-receiver` runs it (main.ts);
 * tests start it with `startWebhookReceiverExample`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRecentEvents, type ReceivedEvent } from './recent-events.ts';
import { verifyDelivery } from './verify.ts';

export interface WebhookReceiverExampleOptions {
  port: number;
  host: string;
  /** The webhook's secret, the webhook_secret given to configure_webhooks. */
  secret: string;
  /** Standard Webhooks' default: 5 minutes either way. */
  toleranceSeconds?: number;
  /** How many events to remember for de-duplication; default 10,000. */
  rememberEvents?: number;
  /** Told about every request, e.g. to print it. */
  onRequest?: (entry: ReceiverLogEntry) => void;
}

export type ReceiverLogEntry =
  | { outcome: 'accepted' | 'duplicate'; status: number; event: ReceivedEvent }
  | { outcome: 'rejected'; status: number; code: string; message: string };

export interface WebhookReceiverExample {
  /** Where Parley should POST: give it to configure_webhooks as webhook_url. */
  url: string;
  /** The events handled, each once, oldest first (the remembered ones). */
  readonly events: ReceivedEvent[];
  close(): Promise<void>;
}

/** Parley's events are a few hundred bytes; anything near this is not one. */
const MAX_BODY_BYTES = 256 * 1024;

type Reply = { status: number; body: unknown; entry: ReceiverLogEntry };

const rejected = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
  entry: { outcome: 'rejected', status, code, message },
});

/** The body as received, or null when it is over the limit (then it is drained, not kept). */
async function readRawBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks);
}

function parseEvent(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export async function startWebhookReceiverExample(
  options: WebhookReceiverExampleOptions,
): Promise<WebhookReceiverExample> {
  const { secret, toleranceSeconds = 300 } = options;
  const recent = createRecentEvents(options.rememberEvents ?? 10_000);

  async function handle(request: IncomingMessage): Promise<Reply> {
    if (request.method !== 'POST') return rejected(405, 'METHOD_NOT_ALLOWED', 'Parley POSTs its events.');
    const body = await readRawBody(request);
    if (body === null) return rejected(413, 'BODY_TOO_LARGE', `The body is over ${MAX_BODY_BYTES} bytes.`);
    const verified = verifyDelivery({ headers: request.headers, body, secret, toleranceSeconds });
    if (!verified.ok) return rejected(401, verified.code, verified.message);
    // Parsed only now: the signatures cover the bytes, not what JSON.parse makes of them.
    const payload = parseEvent(body);
    if (payload === null) return rejected(400, 'INVALID_JSON', 'The body is not a JSON object.');

    // A redelivery (a retry whose first answer was lost, redeliver_webhook, recover_webhooks) is
    // answered 2xx like the first time, or Parley would keep retrying it, but handled only once.
    const known = recent.find(verified.id);
    if (known !== undefined) {
      known.deliveries++;
      return {
        status: 200,
        body: { received: verified.id, duplicate: true },
        entry: { outcome: 'duplicate', status: 200, event: known },
      };
    }
    const event: ReceivedEvent = {
      id: verified.id,
      event: String(payload.event),
      payload,
      attempt: Number(request.headers['x-webhook-attempt'] ?? 1),
      deliveries: 1,
    };
    // A real receiver stores (or enqueues) the event here and answers; slow work (emails, CRM calls)
    // runs afterwards from that store. Parley counts an answer slower than the webhook's timeout as a
    // failure and sends the event again.
    recent.remember(event);
    return {
      status: 200,
      body: { received: event.id, duplicate: false },
      entry: { outcome: 'accepted', status: 200, event },
    };
  }

  async function respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = await handle(request).catch((error: unknown) =>
      rejected(500, 'INTERNAL', error instanceof Error ? error.message : String(error)),
    );
    response
      .writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(reply.body));
    options.onRequest?.(reply.entry);
  }

  const server = createServer((request, response) => void respond(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/webhooks/parley`,
    get events() {
      return recent.list();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Idle keep-alive connections (curl, a browser) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
