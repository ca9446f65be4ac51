/**
 * The side panel's cache and load policy in one place (docs/decisions/panel-lookup-cache.md says why).
 * Tests and benchmarks pass their own values to createPanelService.
 */
import type { CacheLifetime } from '../../lib/ttl-cache.ts';

export interface PanelPolicy {
  /**
   * A customer the CRM found: fresh for a minute (docs/side-panel.md#looking-up-a-customer), then served
   * stale while it is refreshed.
   */
  found: CacheLifetime;
  /**
   * A phone the CRM does not know: short and never stale, because the usual next step is that the agent
   * creates the customer in the CRM and opens the chat again.
   */
  notFound: CacheLifetime;
  /**
   * A failed call: remembered briefly so that a panel opened by many agents does not hammer a CRM that
   * is down. A failure never replaces a found or not-found answer still in the cache.
   */
  error: CacheLifetime;
  /** Customer answers kept per process; least recently used first out. */
  cacheEntries: number;
  /**
   * How long a shop's chat links are reused before the database is read again. A link change reaches
   * every process through the invalidation channel; this bounds only what the channel could miss.
   */
  linkedPhonesMs: number;
  /** Lookup audit rows are written in batches of at most this many, at least this often. */
  auditBatchRows: number;
  auditFlushMs: number;
}

export const defaultPanelPolicy: PanelPolicy = {
  found: { freshMs: 60_000, staleMs: 10 * 60_000 },
  notFound: { freshMs: 15_000, staleMs: 0 },
  error: { freshMs: 5_000, staleMs: 0 },
  cacheEntries: 10_000,
  linkedPhonesMs: 5 * 60_000,
  auditBatchRows: 200,
  auditFlushMs: 250,
};
