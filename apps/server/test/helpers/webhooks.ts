/**
 * Webhook tests through the public surface: configure_webhooks and the delivery tools over MCP,
 * recordWebhookEvent in a transaction as other features call it, and a worker the test drives by
 * hand (tick, drain) while it moves the manual clock.
 */
import { strict as assert } from 'node:assert';
import { after, before } from 'node:test';
import { webhookConfigView, webhookEventTypes, type WebhookConfigView } from '@parley/contract';
import { recordWebhookEvent, type WebhookEventName } from '../../src/features/webhooks/index.ts';
import { createJobSources } from '../../src/worker/catalog.ts';
import { createWorker, type Worker, type WorkerOptions } from '../../src/worker/index.ts';
import { callTool, textOf, type ToolCallResult } from './mcp.ts';
import { startTestApp, type TestApp } from './test-app.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

/**
 * The lifecycle every webhook test file shares: one test app (MCP's rate limit out of the way), handed
 * to `onStart` before the first test, and receivers that are released and closed with it after the last.
 */
export function webhookTestFile(onStart: (t: TestApp) => void) {
  let app: TestApp | undefined;
  const receivers: WebhookReceiver[] = [];
  const releaseAll = () => {
    for (const receiver of receivers) receiver.release();
  };
  before(async () => {
    app = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '100000' });
    onStart(app);
  });
  after(async () => {
    releaseAll();
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await app?.close();
  });
  return {
    /** A receiver on loopback, closed after the file's last test. */
    async receiver(): Promise<WebhookReceiver> {
      const receiver = await startWebhookReceiver();
      receivers.push(receiver);
      return receiver;
    },
    /** Answers every request still hanging, so nothing a test left waits on it. */
    releaseAll,
  };
}

/** A worker over the test app, not started; jitter is off, so schedules are exact. */
export function createTestWorker(t: TestApp, options: Partial<WorkerOptions> = {}): Worker {
  return createWorker({
    sources: createJobSources(t.deps, { random: () => 0 }),
    clock: t.clock,
    logger: t.deps.logger,
    ownsStore: false,
    ...options,
  });
}

/** Calls a tool and fails the test on an isError result. */
export async function callOk(
  t: TestApp,
  token: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolCallResult & { raw: string; structuredContent: Record<string, unknown> }> {
  const result = await callTool(t.app, token, name, args);
  assert.equal(result.isError, undefined, `${name}: ${textOf(result)}`);
  const { structuredContent } = result;
  assert.ok(structuredContent !== undefined);
  return { ...result, structuredContent };
}

/** Calls a tool expecting isError; returns the message. */
export async function callError(
  t: TestApp,
  token: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const result = await callTool(t.app, token, name, args);
  assert.equal(result.isError, true, `${name} should fail: ${JSON.stringify(result.structuredContent)}`);
  return textOf(result);
}

/** Enables the webhook, subscribed to every event unless the arguments say otherwise, confirmed. */
export async function configureWebhook(
  t: TestApp,
  token: string,
  args: Record<string, unknown>,
): Promise<void> {
  await callOk(t, token, 'configure_webhooks', {
    webhook_enabled: true,
    webhook_events: [...webhookEventTypes],
    ...args,
    confirm: true,
  });
}

export async function readWebhook(t: TestApp, token: string): Promise<WebhookConfigView> {
  return webhookConfigView.parse((await callOk(t, token, 'get_webhook_config')).structuredContent);
}

/** Records an event as another feature does: inside a transaction of its own. */
export function recordEvent(
  t: TestApp,
  shopId: string,
  event: WebhookEventName = 'phone.detected',
  data: Record<string, unknown> = { phone: '+34600111222', source: 'message' },
): Promise<{ eventId: string } | null> {
  return t.deps.db.transaction((tx) => recordWebhookEvent(tx, t.deps, { shopId, event, data }));
}

export async function mustRecord(t: TestApp, shopId: string, event?: WebhookEventName): Promise<string> {
  const recorded = await recordEvent(t, shopId, event);
  assert.ok(recorded !== null, 'the webhook subscribes to the event');
  return recorded.eventId;
}

/**
 * A shop whose webhook points at `receiverUrl`, with `count` events recorded a millisecond apart
 * (the manual clock moves), oldest first.
 */
export async function shopWithEvents(t: TestApp, receiverUrl: string, count: number) {
  const shop = await t.createShop();
  await configureWebhook(t, shop.token, { webhook_url: receiverUrl });
  const eventIds: string[] = [];
  for (let i = 0; i < count; i++) {
    eventIds.push(await mustRecord(t, shop.shopId));
    t.clock.advance(1);
  }
  return { ...shop, eventIds };
}

export interface AttemptView {
  attempt: number;
  started_at: string;
  outcome: 'delivered' | 'failed' | 'interrupted';
  http_status: number | null;
  latency_ms: number | null;
  error: { class: string; code: string; message: string } | null;
  response_excerpt: string | null;
}

export interface DeliveryView {
  event_id: string;
  event: string;
  created_at: string;
  status: string;
  attempt_count: number;
  next_attempt_at: string | null;
  delivered_at: string | null;
  payload: { id: string; event: string; timestamp: string; data: Record<string, unknown> };
  attempts: AttemptView[];
}

export interface DeliveryPage {
  deliveries: DeliveryView[];
  next_cursor: string | null;
  webhook_state: string;
  note: string | null;
}

export async function listDeliveries(
  t: TestApp,
  token: string,
  args: Record<string, unknown> = {},
): Promise<DeliveryPage> {
  return (await callOk(t, token, 'list_webhook_deliveries', args))
    .structuredContent as unknown as DeliveryPage;
}

export async function deliveryOf(t: TestApp, token: string, eventId: string): Promise<DeliveryView> {
  const { deliveries } = await listDeliveries(t, token, { limit: 100 });
  const found = deliveries.find((delivery) => delivery.event_id === eventId);
  assert.ok(found !== undefined, `no delivery for ${eventId}`);
  return found;
}

/** Moves the clock to the delivery's next attempt and runs what is then due. */
export async function runNextAttempt(
  t: TestApp,
  worker: Worker,
  token: string,
  eventId: string,
): Promise<void> {
  const { next_attempt_at: next } = await deliveryOf(t, token, eventId);
  assert.ok(next !== null, `${eventId} has no next attempt`);
  t.clock.set(new Date(next));
  await worker.drain();
}

/** What `get_webhook_config` answers for a shop that never configured its webhook. */
export const newShopWebhookConfig = {
  webhook_enabled: false,
  webhook_url: null,
  webhook_events: [],
  has_secret: false,
  webhook_timeout_ms: 180_000,
  delivery: {
    state: 'disabled',
    pause_reason: null,
    next_probe_at: null,
    last_success_at: null,
    last_failure_at: null,
    failing_since: null,
    pending: 0,
  },
};
