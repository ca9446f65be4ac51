/**
 * One attempt of a claimed delivery: send, then record the attempt, the delivery's next state and
 * the webhook's health in one transaction. The worker and redeliver_webhook both run this. The
 * worker records through a group commit: attempts that finish while a result transaction is being
 * written share the next one, which is what lets one process deliver over a thousand events a second.
 */
import type { AppDeps } from '../../app-deps.ts';
import type { Db } from '../../db/database.ts';
import { GroupCommit } from '../../lib/group-commit.ts';
import { saveAttempts, type ClaimedDelivery, type FinishedAttempt } from './delivery-store.ts';
import { applyAttemptsToHealth, type HealthChange } from './health-store.ts';
import { decideAfterAttempt, type DeliveryDecision } from './retry-schedule.ts';
import { sendToStoredTarget, type SentWebhook } from './send.ts';

export type AttemptDeps = Pick<AppDeps, 'outbound' | 'clock' | 'version' | 'secrets' | 'logger' | 'metrics'>;

export interface AttemptReport {
  sent: SentWebhook;
  decision: DeliveryDecision;
}

export interface RecordedAttempt {
  /** False when the claim had been taken over: the attempt is recorded, the delivery left as it was. */
  current: boolean;
  /** Null when the webhook no longer sends to the URL the attempt went to. */
  health: HealthChange | null;
}

/** Writes finished attempts with their health in one transaction; one result per attempt, in order. */
export async function recordAttempts(
  db: Db,
  attempts: readonly FinishedAttempt[],
): Promise<RecordedAttempt[]> {
  return db.transaction(async (tx) => {
    // Health first: it locks the webhooks' rows before the deliveries', in the order configure_webhooks does.
    const health = await applyAttemptsToHealth(
      tx,
      attempts.map(({ claimed, sent, now }) => ({
        shopId: claimed.shopId,
        url: claimed.url,
        delivered: sent.outcome.delivered,
        gone: sent.outcome.gone,
        now,
      })),
    );
    const superseded = await saveAttempts(tx, attempts);
    return attempts.map((attempt, i) => ({
      current: !superseded.has(attempt.claimed.eventId),
      health: health[i] ?? null,
    }));
  });
}

export type RecordAttempt = (attempt: FinishedAttempt) => Promise<RecordedAttempt>;

/** At most this many attempts share one result transaction (its statements bind arrays of this size). */
const MAX_ATTEMPTS_PER_COMMIT = 256;

/** Records each attempt in the next result transaction, shared with the attempts finishing meanwhile. */
export function createAttemptRecorder(db: Db): RecordAttempt {
  const commits = new GroupCommit((attempts: readonly FinishedAttempt[]) => recordAttempts(db, attempts), {
    maxBatch: MAX_ATTEMPTS_PER_COMMIT,
  });
  return (attempt) => commits.submit(attempt);
}

/** Records one attempt in a transaction of its own (an attempt someone waits on, such as a redelivery). */
export const recordAttemptAlone =
  (db: Db): RecordAttempt =>
  async (attempt) => {
    const [recorded] = await recordAttempts(db, [attempt]);
    if (recorded === undefined) throw new Error('recording one attempt returned no result');
    return recorded;
  };

export interface AttemptOptions {
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

  const now = deps.clock.now();
  const decision = decideAfterAttempt(claimed, outcome, now, options.random);
  const { current, health } = await options.record({ claimed, sent, decision, now });

  const log = deps.logger.child({
    shopId: claimed.shopId,
    eventId: claimed.eventId,
    attempt: claimed.attempt,
  });
  if (!current) {
    log.warn('webhook attempt finished after its lease had expired; recorded, the newer claim decides');
  } else if (decision.status === 'exhausted') {
    log.warn({ error: outcome.error }, 'webhook delivery exhausted its attempts');
  }
  if (health !== null && health.before.pausedAt === null && health.after.pausedAt !== null) {
    log.warn({ reason: health.after.pauseReason }, 'webhook paused');
  }
  return { sent, decision };
}
