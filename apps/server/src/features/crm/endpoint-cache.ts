/**
 * The endpoint row each CRM call needs, with its secrets opened, kept for five minutes. Reading the row
 * is the costliest step of the connector's own work (~1-2 ms of CPU on PGlite, whose queries run on
 * the main thread), and opening the secrets (AES-GCM) and building the scrubber the next costliest,
 * against a 2 ms budget for everything Parley adds to a lookup: both are done once per cached copy.
 *
 * Every write that changes what a call does (settings, an error, the signing secret) forgets the shop's
 * entries through the invalidation channel (lib/invalidation.ts): at once in this process, and in the
 * other processes sharing a PostgreSQL as soon as its NOTIFY arrives (a NOTIFY that could not be sent
 * is made up for by db/invalidation-notify.ts). TTL_MS bounds only what that channel can still miss,
 * as the token and link caches' 5 minutes do. It was 1 s, then 10 s: with lookups spread over 1,000
 * shops each shop's copy had expired by its next lookup, and most uncached lookups read the row again
 * (bench/panel-shops.ts).
 */
import type { CrmEndpointType } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { GroupedCache } from '../../lib/invalidation.ts';
import type { PreparedTarget } from './exchange.ts';
import { openStoredTarget } from './open-target.ts';
import type { CrmEndpointRow } from './present.ts';
import { selectEndpointWithSecret } from './store.ts';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;
const TOPIC = 'crm-endpoints';

export interface CallableEndpoint {
  endpoint: CrmEndpointRow;
  target: PreparedTarget;
}

// Undefined is cached too: a shop without this endpoint is asked about as often.
const endpointCache = (deps: Pick<AppDeps, 'invalidation'>) =>
  deps.invalidation.cache(
    TOPIC,
    // performance.now(): how fresh the copy is, not business time (the app clock may be manual).
    () =>
      new GroupedCache<CallableEndpoint | undefined>({
        maxEntries: MAX_ENTRIES,
        ttlMs: TTL_MS,
        now: performance.now.bind(performance),
      }),
  );

export async function readEndpointForCall(
  deps: Pick<AppDeps, 'db' | 'secrets' | 'invalidation'>,
  shopId: string,
  type: CrmEndpointType,
): Promise<CallableEndpoint | undefined> {
  const cache = endpointCache(deps);
  const key = `${shopId} ${type}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached.value;
  const generation = cache.generation();
  const stored = await selectEndpointWithSecret(deps.db, shopId, type);
  const value =
    stored === undefined ? undefined : { endpoint: stored.endpoint, target: openStoredTarget(deps, stored) };
  cache.set(key, shopId, value, generation);
  return value;
}

/** Call after writing an endpoint row (or the shop's signing secret): every process reads the shop's again. */
export const forgetEndpointForCall = (deps: Pick<AppDeps, 'invalidation'>, shopId: string): Promise<void> =>
  deps.invalidation.invalidate(TOPIC, shopId);
