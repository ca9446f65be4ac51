/**
 * One attempt of a claimed delivery: send, then record the attempt, the delivery's next state and
 * the webhook's health (attempt-results.ts). The worker and redeliver_webhook both run this.
 */
import type { AppDeps } from '../../app-deps.ts';
import type { RecordAttempt } from './attempt-results.ts';
import type { ClaimedDelivery } from './delivery-store.ts';
import { decideAfterAttempt, type DeliveryDecision } from './retry-schedule.ts';
import { sendToStoredTarget, type SentWebhook } from './send.ts';

export type AttemptDeps = Pick<AppDeps, 'outbound' | 'clock' | 'version' | 'secrets' | 'logger' | 'metrics'>;

export interface AttemptReport {
  sent: SentWebhook;
  decision: DeliveryDecision;
}

export interface AttemptOptions {
  /** Called once the request is answered (or has failed), before the result is written. */
  onSent?: () => void;
  /** Writes the result (createAttemptRecorder or recordAttemptAlone). */
  record: RecordAttempt;
  /** Jitter source, [0, 1). */
  random: () => number;
  /** Aborted: the worker gave up on this run at shutdown; record nothing, the lease takes over. */
  signal?: AbortSignal;
  /** A lower timeout than the webhook's, for attempts someone waits on (redeliver_webhook). */
  timeoutMs?: number;
}

export async function attemptDelivery(
  deps: AttemptDeps,
  claimed: ClaimedDelivery,
  options: AttemptOptions,
): Promise<AttemptReport | null> {
  const sent = await sendToStoredTarget(
    deps,
    { ...claimed, timeoutMs: Math.min(claimed.timeoutMs, options.timeoutMs ?? Infinity) },
    { id: claimed.eventId, event: claimed.event, body: claimed.body, attempt: claimed.attempt },
  );
  const { outcome } = sent;
  deps.metrics.webhookAttempts.inc({
    outcome: outcome.delivered ? 'delivered' : 'failed',
    error_class: outcome.error?.class ?? 'none',
  });
  if (options.signal?.aborted === true) return null;
  options.onSent?.();

  const now = deps.clock.now();
  const decision = decideAfterAttempt(claimed, outcome, now, options.random);
  const { current, health } = await options.record({ claimed, sent, decision, now });

  // Made only when there is something to say: most attempts log nothing, and a child logger costs.
  const log = () =>
    deps.logger.child({ shopId: claimed.shopId, eventId: claimed.eventId, attempt: claimed.attempt });
  if (!current) {
    log().warn('webhook attempt finished after its lease had expired; recorded, the newer claim decides');
  } else if (decision.status === 'exhausted') {
    log().warn({ error: outcome.error }, 'webhook delivery exhausted its attempts');
  }
  if (health !== null && health.before.pausedAt === null && health.after.pausedAt !== null) {
    log().warn({ reason: health.after.pauseReason }, 'webhook paused');
  }
  return { sent, decision };
}
