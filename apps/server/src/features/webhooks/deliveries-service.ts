/**
 * The delivery tools' services: send a test event, list deliveries, redeliver one event now,
 * recover everything that failed since a given instant.
 */
import type {
  ListWebhookDeliveriesInput,
  RecoverWebhooksInput,
  RedeliverWebhookInput,
  TestWebhookInput,
} from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { attemptDelivery } from './attempt.ts';
import { recordAttemptAlone } from './attempt-results.ts';
import { deliveryState, requireSigningSecret } from './config-change.ts';
import { checkWebhookUrl } from './config-service.ts';
import { readWebhookConfig, type StoredWebhookConfig } from './config-store.ts';
import { decodeCursor, encodeCursor, listDeliveries } from './delivery-list.ts';
import { claimForRedelivery, requeueFailedSince } from './delivery-store.ts';
import { serializeEvent } from './event-body.ts';
import { presentDelivery, presentOutcome } from './present.ts';
import { sendToStoredTarget, sendWebhook } from './send.ts';

/** Someone waits on the answer of these calls: a receiver slower than this fails them. */
export const INTERACTIVE_TIMEOUT_MS = 60_000;

const iso = (date: Date | null) => date?.toISOString() ?? null;

function requireSendingWebhook(config: StoredWebhookConfig): void {
  if (!config.enabled || config.url === null) {
    throw new AppError(
      'WEBHOOK_DISABLED',
      'The webhook is disabled, so nothing can be sent. Enable it with configure_webhooks (webhook_enabled: true) first.',
      409,
    );
  }
}

/** Why held deliveries wait, when they do. */
function pausedNote(config: StoredWebhookConfig): string | null {
  if (deliveryState(config) !== 'paused') return null;
  return (
    `The webhook is paused (${config.pauseReason ?? 'paused'}): deliveries wait until it resumes. ` +
    `configure_webhooks resumes it now; otherwise the next probe is at ${iso(config.nextProbeAt) ?? 'the next probe slot'}.`
  );
}

export async function testWebhook(deps: AppDeps, shopId: string, input: TestWebhookInput) {
  const config = await readWebhookConfig(deps.db, shopId);
  const url = input.webhook_url ?? config.url;
  if (url === null) {
    throw badRequest('No webhook_url: pass one, or configure the webhook first with configure_webhooks.');
  }
  await checkWebhookUrl(deps, url);
  if (input.webhook_secret !== undefined) requireSigningSecret(input.webhook_secret);
  const event = serializeEvent(
    'test',
    { shop_id: shopId, message: 'A test event sent by test_webhook. Verify its signature, then answer 2xx.' },
    deps.clock.now(),
  );
  const message = { ...event, attempt: 1 };
  const timeoutMs = Math.min(config.timeoutMs, INTERACTIVE_TIMEOUT_MS);
  const sent =
    input.webhook_secret === undefined
      ? await sendToStoredTarget(deps, { shopId, url, sealedSecret: config.sealedSecret, timeoutMs }, message)
      : await sendWebhook(deps, { url, secret: input.webhook_secret, timeoutMs }, message);
  return {
    ...presentOutcome(sent.outcome),
    request_headers: sent.requestHeaders,
    event_id: event.id,
    signed: 'webhook-signature' in sent.requestHeaders,
    timeout_ms: timeoutMs,
    note: url === config.url && sent.outcome.delivered ? pausedNote(config) : null,
  };
}

export async function listWebhookDeliveries(
  deps: AppDeps,
  shopId: string,
  input: ListWebhookDeliveriesInput,
) {
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  const [config, page] = await Promise.all([
    readWebhookConfig(deps.db, shopId),
    listDeliveries(deps.db, shopId, { ...input, after }),
  ]);
  return {
    deliveries: page.deliveries.map(presentDelivery),
    next_cursor: page.next === null ? null : encodeCursor(page.next),
    webhook_state: deliveryState(config),
    note: pausedNote(config),
  };
}

export async function redeliverWebhook(deps: AppDeps, shopId: string, input: RedeliverWebhookInput) {
  requireSendingWebhook(await readWebhookConfig(deps.db, shopId));
  const claim = await claimForRedelivery(deps.db, shopId, input.event_id, deps.clock.now());
  if (claim.kind === 'not_found') {
    throw notFound(
      `No event ${input.event_id} in this shop. list_webhook_deliveries shows the ids of the events recorded.`,
    );
  }
  if (claim.kind === 'in_flight') {
    throw new AppError(
      'DELIVERY_IN_FLIGHT',
      `Event ${input.event_id} is being delivered right now (attempt ${claim.attempt}, started ${iso(claim.since) ?? 'just now'}). ` +
        'Wait for that attempt to finish (list_webhook_deliveries shows it), then call redeliver_webhook again if needed.',
      409,
    );
  }
  const { delivery } = claim;
  const report = await attemptDelivery(deps, delivery, {
    random: Math.random,
    timeoutMs: INTERACTIVE_TIMEOUT_MS,
    record: recordAttemptAlone(deps.db),
  });
  if (report === null) throw new Error('an attempt without a shutdown signal always reports');
  return {
    event_id: delivery.eventId,
    event: delivery.event,
    attempt: delivery.attempt,
    ...presentOutcome(report.sent.outcome),
    status: report.decision.status === 'queued' ? 'failed' : report.decision.status,
    next_attempt_at: report.decision.status === 'queued' ? report.decision.dueAt.toISOString() : null,
  };
}

export async function recoverWebhooks(deps: AppDeps, shopId: string, input: RecoverWebhooksInput) {
  const config = await readWebhookConfig(deps.db, shopId);
  requireSendingWebhook(config);
  const { failed, exhausted } = await requeueFailedSince(deps.db, shopId, input.since, deps.clock.now());
  const requeued = failed + exhausted;
  const since = input.since.toISOString();
  const message =
    requeued === 0
      ? `Nothing to re-send: no delivery failed since ${since}.`
      : `${requeued} deliveries will be sent again now (${failed} failed, ${exhausted} exhausted), each with a fresh schedule of 10 attempts.`;
  const note = requeued === 0 ? null : pausedNote(config);
  return { requeued, failed, exhausted, since, message: note === null ? message : `${message} ${note}` };
}
