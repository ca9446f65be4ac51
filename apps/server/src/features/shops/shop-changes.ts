/**
 * A shop's settings changed: every process forgets what it kept of them (its country, for now:
 * country.ts), through the app's invalidation channel (lib/invalidation.ts).
 */
import type { AppDeps } from '../../app-deps.ts';

/** The channel's topic for a shop's own settings. */
export const SHOP_SETTINGS_TOPIC = 'shops';

/** Call after changing a shop's settings: every process reads them again. */
export const forgetShop = (deps: Pick<AppDeps, 'invalidation'>, shopId: string): Promise<void> =>
  deps.invalidation.invalidate(SHOP_SETTINGS_TOPIC, shopId);
