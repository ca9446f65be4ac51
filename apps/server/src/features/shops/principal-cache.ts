/**
 * Shop and agent tokens resolved recently, so a busy side panel does not read the token table on every
 * request. Every change that can make an entry wrong (a token rotated or revoked, an agent updated or
 * deleted, a shop disabled or deleted) empties the shop's entries through the invalidation channel, in
 * this process at once and in the others within the channel's delay (docs/tokens-and-agents.md).
 * PRINCIPAL_CACHE_MS only bounds how long an entry could outlive a message that never arrived (one that
 * could not be sent is made up for by db/invalidation-notify.ts). Failed
 * lookups are not remembered, so random tokens cannot fill the cache.
 */
import type { AppDeps } from '../../app-deps.ts';
import { GroupedCache } from '../../lib/invalidation.ts';
import type { Principal } from './authenticate.ts';

export const PRINCIPAL_CACHE_MS = 5 * 60_000;
const MAX_TOKENS = 10_000;
const TOPIC = 'principals';

export interface KnownToken {
  principal: Principal & { kind: 'shop' | 'agent' };
  tokenId: string;
  /** When its use was last written (token-use.ts), as epoch ms; null before the first use. */
  lastUsedAt: number | null;
}

type Deps = Pick<AppDeps, 'invalidation' | 'clock'>;

export const principalCache = (deps: Deps): GroupedCache<KnownToken> =>
  deps.invalidation.cache(
    TOPIC,
    () =>
      new GroupedCache<KnownToken>({
        maxEntries: MAX_TOKENS,
        ttlMs: PRINCIPAL_CACHE_MS,
        now: () => deps.clock.now().getTime(),
      }),
  );

/** Call after any change to the shop's tokens, agents or state: every process forgets them. */
export const forgetShopPrincipals = (deps: Pick<AppDeps, 'invalidation'>, shopId: string): Promise<void> =>
  deps.invalidation.invalidate(TOPIC, shopId);
