/** Credits spent, by the shop's local day and by feature (`get_usage_stats`). */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { creditLedger } from '../../db/schema.ts';
import { badRequest } from '../../lib/errors.ts';
import type { CreditShop } from './balance.ts';
import { spentCredits } from './info.ts';
import { dayOf, firstDayOf, monthOf, nextDay, startOfDay } from './period.ts';

/** Inclusive local days, `YYYY-MM-DD`; by default the current month up to today. */
export interface UsageRange {
  from?: string | undefined;
  to?: string | undefined;
}

const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

interface Totals {
  credits: number;
  calls: number;
  unbilled: number;
}

const add = (into: Totals, row: Totals) => {
  into.credits += row.credits;
  into.calls += row.calls;
  into.unbilled += row.unbilled;
};

const zero = (): Totals => ({ credits: 0, calls: 0, unbilled: 0 });

export async function getUsageStats(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  shop: CreditShop,
  range: UsageRange,
) {
  const now = deps.clock.now();
  const from = range.from ?? firstDayOf(monthOf(now, shop.timezone));
  const to = range.to ?? dayOf(now, shop.timezone);
  if (from > to) throw badRequest(`from (${from}) is after to (${to}).`);
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_DAYS) {
    throw badRequest(`The range ${from}..${to} spans more than ${MAX_DAYS} days; ask for a shorter one.`);
  }

  const day = sql<string>`to_char(${creditLedger.createdAt} at time zone ${shop.timezone}, 'YYYY-MM-DD')`;
  const rows = await deps.db
    .select({
      day,
      feature: creditLedger.feature,
      calls: sql<number>`count(*)`.mapWith(Number),
      credits: spentCredits,
      unbilled: sql<number>`coalesce(sum(${creditLedger.unbilled}), 0)`.mapWith(Number),
      promptTokens: sql<number>`coalesce(sum(${creditLedger.promptTokens}), 0)`.mapWith(Number),
      completionTokens: sql<number>`coalesce(sum(${creditLedger.completionTokens}), 0)`.mapWith(Number),
    })
    .from(creditLedger)
    .where(
      and(
        eq(creditLedger.shopId, shop.id),
        eq(creditLedger.kind, 'charge'),
        gte(creditLedger.createdAt, startOfDay(from, shop.timezone)),
        lt(creditLedger.createdAt, startOfDay(nextDay(to), shop.timezone)),
      ),
    )
    // By position: the time zone is a bound parameter, so the expression itself would not match.
    .groupBy(sql`1, 2`)
    .orderBy(sql`1, 2`);

  const total = zero();
  const byDay = new Map<string, Totals>();
  const byFeature = new Map<string, Totals & { prompt_tokens: number; completion_tokens: number }>();
  for (const row of rows) {
    add(total, row);
    const dayTotals = byDay.get(row.day) ?? zero();
    add(dayTotals, row);
    byDay.set(row.day, dayTotals);
    const feature = row.feature ?? 'unknown';
    const featureTotals = byFeature.get(feature) ?? { ...zero(), prompt_tokens: 0, completion_tokens: 0 };
    add(featureTotals, row);
    featureTotals.prompt_tokens += row.promptTokens;
    featureTotals.completion_tokens += row.completionTokens;
    byFeature.set(feature, featureTotals);
  }
  return {
    from,
    to,
    timezone: shop.timezone,
    total,
    by_day: [...byDay].map(([date, totals]) => ({ date, ...totals })),
    by_feature: [...byFeature].map(([feature, totals]) => ({ feature, ...totals })),
  };
}
