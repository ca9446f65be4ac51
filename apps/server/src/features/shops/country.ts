/**
 * A shop's country, the default for reading national phone numbers (intake, the side panel). It is
 * set when the shop is created and nothing changes it, so a copy kept in memory is never stale: each
 * process reads it once per shop instead of on every request. The cache is bounded, so a process
 * serving many shops does not keep them all.
 */
import type { AppDeps } from '../../app-deps.ts';
import type { Db } from '../../db/database.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { getShop } from './service.ts';

/** Long, since the value cannot change: the lifetime only bounds how long an idle shop stays in memory. */
const COUNTRY_LIFETIME = { freshMs: 60 * 60_000, staleMs: 0 };
const MAX_SHOPS = 10_000;

const cachesByDb = new WeakMap<Db, TtlCache<string>>();

export async function shopCountry(deps: Pick<AppDeps, 'db' | 'clock'>, shopId: string): Promise<string> {
  let cache = cachesByDb.get(deps.db);
  if (cache === undefined) {
    cache = new TtlCache({ maxEntries: MAX_SHOPS, clock: deps.clock });
    cachesByDb.set(deps.db, cache);
  }
  const cached = cache.get(shopId);
  if (cached !== undefined) return cached.value;
  const { country } = await getShop(deps.db, shopId);
  cache.set(shopId, country, COUNTRY_LIFETIME);
  return country;
}
