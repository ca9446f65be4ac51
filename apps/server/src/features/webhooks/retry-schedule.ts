/**
 * docs/webhooks.md#delivery-success-retries-pauses: after a failure, retry after 5 s, 5 min, 30 min, 2 h, 5
 * h, 10 h, 14 h, 20 h and 24 h (10 attempts in about 3 days), each with 0–10 % added jitter. A receiver
 * answering 429 or 503 with Retry-After is not called again before it asked, but never sooner than the
 * schedule says: a Retry-After of 1 s must not burn the 10 attempts in 10 seconds.
 */
import { createRetryPolicy } from '../../lib/jobs/index.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const webhookRetryPolicy = createRetryPolicy({
  delaysMs: [
    5 * SECOND,
    5 * MINUTE,
    30 * MINUTE,
    2 * HOUR,
    5 * HOUR,
    10 * HOUR,
    14 * HOUR,
    20 * HOUR,
    24 * HOUR,
  ],
  jitter: 0.1,
});

export const MAX_ATTEMPTS = webhookRetryPolicy.maxAttempts;

/** A Retry-After beyond this is read as this: a receiver cannot park an event for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** The wait before the next attempt, or null when the schedule is used up (the delivery is exhausted). */
export function nextRetryDelay(
  failures: number,
  random: () => number,
  retryAfterMs: number | null,
): number | null {
  const scheduled = webhookRetryPolicy.delayAfter(failures, random);
  if (scheduled === null) return null;
  return Math.max(scheduled, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

export type DeliveryDecision =
  { status: 'delivered' } | { status: 'queued'; dueAt: Date } | { status: 'exhausted' };

/** Where a delivery goes after an attempt: delivered, back in the queue for later, or out of attempts. */
export function decideAfterAttempt(
  claimed: { attempt: number; scheduleStart: number },
  outcome: { delivered: boolean; retryAfterMs: number | null },
  now: Date,
  random: () => number,
): DeliveryDecision {
  if (outcome.delivered) return { status: 'delivered' };
  const delay = nextRetryDelay(claimed.attempt - claimed.scheduleStart, random, outcome.retryAfterMs);
  return delay === null
    ? { status: 'exhausted' }
    : { status: 'queued', dueAt: new Date(now.getTime() + delay) };
}
