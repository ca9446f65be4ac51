/**
 * Endpoint health (docs/webhooks.md#delivery-success-retries-pauses): a 410, or failures for 5 days with no
 * success in between, pause the webhook; events keep being stored. A paused webhook is probed every 6 hours,
 * and any success (a probe, a redelivery) resumes it. Pure: the store applies it under a row lock.
 */
import type { WebhookPauseReason } from '@parley/contract';

const HOUR = 3_600_000;
export const PAUSE_AFTER_FAILING_MS = 5 * 24 * HOUR;
export const PROBE_INTERVAL_MS = 6 * HOUR;

export interface WebhookHealth {
  pausedAt: Date | null;
  pauseReason: WebhookPauseReason | null;
  nextProbeAt: Date | null;
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
}

/** A webhook that has not been called yet. */
export const noHealth: WebhookHealth = {
  pausedAt: null,
  pauseReason: null,
  nextProbeAt: null,
  failingSince: null,
  lastSuccessAt: null,
  lastFailureAt: null,
};

/** The reset a success brings, and configuring the webhook too: a new setup gets a fresh 5 days. */
export const resumedHealth = {
  pausedAt: null,
  pauseReason: null,
  nextProbeAt: null,
  failingSince: null,
} satisfies Partial<WebhookHealth>;

export function healthAfterAttempt(
  current: WebhookHealth,
  result: { delivered: boolean; gone: boolean },
  now: Date,
): WebhookHealth {
  if (result.delivered) return { ...current, ...resumedHealth, lastSuccessAt: now };
  const failingSince = current.failingSince ?? now;
  const next: WebhookHealth = { ...current, failingSince, lastFailureAt: now };
  if (current.pausedAt !== null) return next;
  const reason: WebhookPauseReason | null = result.gone
    ? 'gone'
    : now.getTime() - failingSince.getTime() >= PAUSE_AFTER_FAILING_MS
      ? 'failing'
      : null;
  if (reason === null) return next;
  return {
    ...next,
    pausedAt: now,
    pauseReason: reason,
    nextProbeAt: new Date(now.getTime() + PROBE_INTERVAL_MS),
  };
}
