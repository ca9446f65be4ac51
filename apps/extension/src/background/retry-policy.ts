/**
 * When a failed call to the server is tried again. Only failures that a moment may cure are retried
 * (the server restarting, a proxy in between, rate limiting); a timeout is not, because the agent
 * has already waited the whole timeout once.
 */
import type { Failure } from '../shared/outcome.ts';

const DELAYS_MS = [400, 1500] as const;

const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** The delay before retry number `retry` (0-based), or null to give up. */
export function retryDelay(retry: number, failure: Failure, maxRetries: number): number | null {
  if (retry >= maxRetries) return null;
  const transient =
    failure.kind === 'unreachable' ||
    (failure.status !== undefined && TRANSIENT_STATUSES.has(failure.status));
  if (!transient) return null;
  return DELAYS_MS[Math.min(retry, DELAYS_MS.length - 1)] ?? null;
}
