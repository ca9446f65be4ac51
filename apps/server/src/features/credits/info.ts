/** What a shop has left and when its free credits renew (`get_credits_info`, the admin API). */
import { and, eq, sql } from 'drizzle-orm';
import { FREE_CREDITS_PER_MONTH, type CreditsInfo } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { creditBalances, creditLedger } from '../../db/schema.ts';
import { currentBalance, type CreditShop } from './balance.ts';
import { monthOf, renewalOf } from './period.ts';

/** Credits a charge took from the pools: its deltas are negative. */
export const spentCredits =
  sql<number>`coalesce(-sum(${creditLedger.freeDelta} + ${creditLedger.purchasedDelta}), 0)`.mapWith(Number);

export async function getCreditsInfo(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  shop: CreditShop,
): Promise<CreditsInfo> {
  const period = monthOf(deps.clock.now(), shop.timezone);
  const [[row], [used]] = await Promise.all([
    deps.db.select().from(creditBalances).where(eq(creditBalances.shopId, shop.id)),
    deps.db
      .select({ credits: spentCredits })
      .from(creditLedger)
      .where(
        and(
          eq(creditLedger.shopId, shop.id),
          eq(creditLedger.kind, 'charge'),
          eq(creditLedger.period, period),
        ),
      ),
  ]);
  const { freeLeft, purchasedLeft } = currentBalance(row, period);
  return {
    free_left: freeLeft,
    free_monthly: FREE_CREDITS_PER_MONTH,
    purchased_left: purchasedLeft,
    total_left: freeLeft + purchasedLeft,
    used_this_month: used?.credits ?? 0,
    period,
    renews_at: renewalOf(period, shop.timezone).toISOString(),
    timezone: shop.timezone,
  };
}
