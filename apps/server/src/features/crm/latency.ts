/**
 * Latency of CRM calls per shop and endpoint type: the last WINDOW calls in a ring buffer, in this
 * process's memory. A database write per call would cost more than the call's own bookkeeping is
 * allowed to (the panel's added-latency budget is 2 ms), and percentiles of recent calls need no
 * history. The price: with several processes on one PostgreSQL, each reports the calls it made
 * itself, and a restart starts empty.
 */
import type { CrmEndpointType } from '@parley/contract';

export const LATENCY_WINDOW = 200;

class Ring {
  private readonly values = new Uint32Array(LATENCY_WINDOW);
  private size = 0;
  private next = 0;

  add(ms: number) {
    this.values[this.next] = ms;
    this.next = (this.next + 1) % LATENCY_WINDOW;
    this.size = Math.min(this.size + 1, LATENCY_WINDOW);
  }

  sorted(): Uint32Array {
    return this.values.slice(0, this.size).sort();
  }
}

// Keyed by shop id, which is random: several apps in one process (tests) never share an entry.
const rings = new Map<string, Ring>();
const keyOf = (shopId: string, type: CrmEndpointType) => `${shopId} ${type}`;

export function recordCrmLatency(shopId: string, type: CrmEndpointType, ms: number): void {
  const key = keyOf(shopId, type);
  let ring = rings.get(key);
  if (ring === undefined) {
    ring = new Ring();
    rings.set(key, ring);
  }
  ring.add(Math.max(0, Math.round(ms)));
}

/** New settings start with a clean record (in this process; others age theirs out). */
export function forgetCrmLatency(shopId: string, type: CrmEndpointType): void {
  rings.delete(keyOf(shopId, type));
}

/** Nearest-rank percentile of sorted values: a latency that some call really had. */
export const percentile = (sorted: ArrayLike<number>, p: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null);

export function crmLatencySummary(shopId: string, type: CrmEndpointType) {
  const sorted = rings.get(keyOf(shopId, type))?.sorted() ?? new Uint32Array(0);
  return {
    p50_ms: percentile(sorted, 50),
    p95_ms: percentile(sorted, 95),
    calls: sorted.length,
    scope: `the last ${LATENCY_WINDOW} calls made by this server process`,
  };
}
