/**
 * A shop's country, the default for reading national phone numbers (intake, the side panel), read
 * once per shop and process instead of on every request. The admin may change it (PATCH
 * /api/admin/shops/:id): the change empties every process's copy through the invalidation channel.
 * The cache is bounded, so a process serving many shops does not keep them all.
 */
import type { AppDeps } from '../../app-deps.ts';
import { GroupedCache } from '../../lib/invalidation.ts';
import { getShop } from './service.ts';
import { SHOP_SETTINGS_TOPIC } from './shop-changes.ts';

/** Long: changes arrive through the channel; the lifetime only bounds how long an idle shop stays in memory. */
const COUNTRY_LIFETIME_MS = 60 * 60_000;
const MAX_SHOPS = 10_000;

type Deps = Pick<AppDeps, 'db' | 'invalidation'>;

const countryCache = (deps: Pick<AppDeps, 'invalidation'>) =>
  deps.invalidation.cache(
    SHOP_SETTINGS_TOPIC,
    () =>
      new GroupedCache<string>({
        maxEntries: MAX_SHOPS,
        ttlMs: COUNTRY_LIFETIME_MS,
        now: performance.now.bind(performance),
      }),
  );

export async function shopCountry(deps: Deps, shopId: string): Promise<string> {
  const cache = countryCache(deps);
  const cached = cache.get(shopId);
  if (cached !== undefined) return cached.value;
  const generation = cache.generation();
  const { country } = await getShop(deps.db, shopId);
  cache.set(shopId, shopId, country, generation);
  return country;
}
