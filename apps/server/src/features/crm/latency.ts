/**
 * Latency of CRM calls per shop and endpoint type: the last WINDOW calls in a ring buffer, in this
 * process's memory. A database write per call would cost more than the call's own bookkeeping is
 * allowed to (the panel's added-latency budget is 2 ms), and percentiles of recent calls need no
 * history. The price: with several processes on one PostgreSQL, each reports the calls it made
 * itself, and a restart starts empty.
 */
import type { CrmEndpointType } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import type { Invalidatable } from '../../lib/invalidation.ts';

type Deps = Pick<AppDeps, 'invalidation'>;

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

const keyOf = (shopId: string, type: CrmEndpointType) => `${shopId} ${type}`;

/** The rings of one app's process, kept on its invalidation channel (lib/invalidation.ts). */
class CrmLatencies implements Invalidatable {
  readonly rings = new Map<string, Ring>();

  /**
   * One endpoint's record (`forgetCrmLatency`'s key), a whole shop's, or, when messages may have been
   * lost, everything: the record starts over.
   */
  invalidate(key: string | undefined): void {
    if (key !== undefined && this.rings.delete(key)) return;
    for (const stored of [...this.rings.keys()]) {
      if (key === undefined || stored.startsWith(`${key} `)) this.rings.delete(stored);
    }
  }
}

const TOPIC = 'crm_latency';

const latencies = (deps: Deps) => deps.invalidation.cache(TOPIC, () => new CrmLatencies()).rings;

export function recordCrmLatency(deps: Deps, shopId: string, type: CrmEndpointType, ms: number): void {
  const rings = latencies(deps);
  const key = keyOf(shopId, type);
  let ring = rings.get(key);
  if (ring === undefined) {
    ring = new Ring();
    rings.set(key, ring);
  }
  ring.add(Math.max(0, Math.round(ms)));
}

/**
 * New settings start with a clean record, in every process. Through the channel, so that a change made
 * in a transaction forgets the record only once it commits (lib/invalidation.ts `deferInvalidations`).
 */
export const forgetCrmLatency = (deps: Deps, shopId: string, type: CrmEndpointType): Promise<void> =>
  deps.invalidation.invalidate(TOPIC, keyOf(shopId, type));

/** Nearest-rank percentile of sorted values: a latency that some call really had. */
export const percentile = (sorted: ArrayLike<number>, p: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null);

export function crmLatencySummary(deps: Deps, shopId: string, type: CrmEndpointType) {
  const sorted = latencies(deps).get(keyOf(shopId, type))?.sorted() ?? new Uint32Array(0);
  return {
    p50_ms: percentile(sorted, 50),
    p95_ms: percentile(sorted, 95),
    calls: sorted.length,
    scope: `the last ${LATENCY_WINDOW} calls made by this server process`,
  };
}
