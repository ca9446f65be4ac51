/**
 * Per-key sliding-window limit, in memory: at most `limit` requests in any `windowMs`. Each key
 * keeps the times of its last `limit` requests in a ring, so a check is O(1) and the answer is
 * exact (a fixed window would let twice the limit through across a window boundary). Each
 * process limits on its own; several processes behind one balancer multiply the allowance.
 */
import type { Clock } from '../lib/clock.ts';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Requests allowed per key in any window. */
  readonly limit: number;
  /** Counts one request for `key` when there is room; a refused request uses no slot. */
  take(key: string): RateDecision;
  /**
   * Gives back the most recent slot `take` allowed for `key`: for counting attempts up front
   * (so that concurrent ones are counted too) and forgiving those that turn out fine.
   */
  release(key: string): void;
}

interface Ring {
  times: number[];
  /** Index of the oldest entry once the ring is full. */
  next: number;
  newest: number;
}

/** Above this many keys, keys idle for a whole window are dropped so random tokens cannot grow memory. */
const SWEEP_ABOVE_KEYS = 10_000;

export function createRateLimiter(options: { limit: number; windowMs: number; clock: Clock }): RateLimiter {
  const { limit, windowMs, clock } = options;
  const rings = new Map<string, Ring>();

  const sweep = (now: number) => {
    for (const [key, ring] of rings) if (ring.newest <= now - windowMs) rings.delete(key);
  };

  /** The refusal when the ring of `key` is full of requests inside the window, else undefined. */
  const refusal = (ring: Ring | undefined, now: number): RateDecision | undefined => {
    if (ring === undefined || ring.times.length < limit) return undefined;
    const oldest = ring.times[ring.next] ?? now;
    if (oldest <= now - windowMs) return undefined;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
  };

  return {
    limit,
    take(key) {
      const now = clock.now().getTime();
      let ring = rings.get(key);
      const refused = refusal(ring, now);
      if (refused !== undefined) return refused;
      if (ring === undefined) {
        if (rings.size >= SWEEP_ABOVE_KEYS) sweep(now);
        ring = { times: [], next: 0, newest: now };
        rings.set(key, ring);
      }
      if (ring.times.length < limit) {
        ring.times.push(now);
      } else {
        ring.times[ring.next] = now;
        ring.next = (ring.next + 1) % limit;
      }
      ring.newest = now;
      return { allowed: true };
    },
    release(key) {
      const ring = rings.get(key);
      if (ring === undefined || ring.times.length === 0) return;
      if (ring.times.length < limit) {
        ring.times.pop();
      } else {
        // The slot just written becomes the oldest, and free: the next `take` writes it again.
        ring.next = (ring.next + limit - 1) % limit;
        ring.times[ring.next] = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
