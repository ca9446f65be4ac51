/**
 * Shop and agent tokens resolved in the last few seconds, so a busy side panel does not read the
 * token table on every request. The price: a token revoked (or an agent deleted) keeps working for up
 * to PRINCIPAL_CACHE_MS on a process that used it recently. Failed lookups are not remembered, so
 * random tokens cannot fill the cache. One cache per database, so separate apps never share entries.
 */
import type { AppDeps } from '../../app-deps.ts';
import type { Db } from '../../db/database.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import type { Principal } from './service.ts';

export const PRINCIPAL_CACHE_MS = 10_000;
const lifetime = { freshMs: PRINCIPAL_CACHE_MS, staleMs: 0 };
const MAX_TOKENS = 10_000;

const caches = new WeakMap<Db, TtlCache<Principal>>();

function cacheFor(deps: Pick<AppDeps, 'db' | 'clock'>): TtlCache<Principal> {
  let cache = caches.get(deps.db);
  if (cache === undefined) {
    cache = new TtlCache({ maxEntries: MAX_TOKENS, clock: deps.clock });
    caches.set(deps.db, cache);
  }
  return cache;
}

/** The principal of a token hash resolved recently, if any. */
export const recallPrincipal = (deps: Pick<AppDeps, 'db' | 'clock'>, tokenHash: string) =>
  cacheFor(deps).get(tokenHash)?.value;

export const rememberPrincipal = (
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tokenHash: string,
  principal: Principal,
): void => cacheFor(deps).set(tokenHash, principal, lifetime);
