/**
 * `get_smart_followup_stats`: the funnel of a period (analysed → eligible → followed up → replied →
 * converted), its rates, the revenue the CRM reported per currency, what customers wanted and what
 * held them back, results per attempt, and every skip reason counted.
 */
import { and, count, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { FollowupPeriodInput } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { followupAnalyses, followups } from '../../db/schema.ts';
import { getShop } from '../shops/index.ts';
import { inPeriod } from './logs.ts';
import { presentPeriod, resolvePeriod } from './period.ts';

const TOP = 10;
/** Skips of conversations the analysis found worth a follow-up, that something else then held back. */
const eligibleSkips = ['crm_order_found', 'crm_unavailable', 'followup_pending'];

const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

export async function getSmartFollowupStats(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  shopId: string,
  input: FollowupPeriodInput,
) {
  const shop = await getShop(deps.db, shopId);
  const period = resolvePeriod(input, shop.timezone, deps.clock.now());
  const a = followupAnalyses;
  const f = followups;
  const analysesInPeriod = and(eq(a.shopId, shopId), inPeriod(a.updatedAt, period));
  const followupsInPeriod = and(eq(f.shopId, shopId), inPeriod(f.createdAt, period));

  const [byState, skipReasons, attempts, revenue, products, objections] = await Promise.all([
    deps.db
      .select({
        analysed: sql<number>`count(*) filter (where ${a.state} = 'analysed')`.mapWith(Number),
        eligible:
          sql<number>`count(*) filter (where ${a.state} = 'analysed' and (${a.action} <> 'skipped' or ${a.skipReason} in ${eligibleSkips}))`.mapWith(
            Number,
          ),
        credits: sql<number>`coalesce(sum(${a.credits}), 0)`.mapWith(Number),
      })
      .from(a)
      .where(analysesInPeriod),
    deps.db
      .select({ reason: a.skipReason, count: count() })
      .from(a)
      .where(and(analysesInPeriod, isNotNull(a.skipReason)))
      .groupBy(a.skipReason)
      .orderBy(desc(count())),
    deps.db
      .select({
        attempt: f.attemptNumber,
        followed_up: count(),
        replied: sql<number>`count(${f.repliedAt})`.mapWith(Number),
        converted: sql<number>`count(${f.convertedAt})`.mapWith(Number),
      })
      .from(f)
      .where(followupsInPeriod)
      .groupBy(f.attemptNumber)
      .orderBy(f.attemptNumber),
    deps.db
      .select({
        currency: sql<string | null>`${f.convertedOrder}->>'currency'`,
        amount: sql<number>`coalesce(sum((${f.convertedOrder}->>'amount')::numeric), 0)`.mapWith(Number),
        orders: count(),
      })
      .from(f)
      .where(and(followupsInPeriod, isNotNull(f.convertedAt)))
      .groupBy(sql`1`),
    topOf(deps, followupsInPeriod, f.productMentioned),
    topOf(deps, followupsInPeriod, f.customerObjection),
  ]);
  const totals = byState[0] ?? { analysed: 0, eligible: 0, credits: 0 };
  const followedUp = attempts.reduce((sum, row) => sum + row.followed_up, 0);
  const replied = attempts.reduce((sum, row) => sum + row.replied, 0);
  const converted = attempts.reduce((sum, row) => sum + row.converted, 0);
  return {
    ...presentPeriod(input, period),
    funnel: {
      analysed: totals.analysed,
      eligible: totals.eligible,
      followed_up: followedUp,
      replied,
      converted,
    },
    response_rate: rate(replied, followedUp),
    conversion_rate: rate(converted, followedUp),
    revenue: revenue.map((row) => ({ currency: row.currency, amount: row.amount, orders: row.orders })),
    top_products: products,
    top_objections: objections,
    per_attempt: attempts.map((row) => ({
      ...row,
      response_rate: rate(row.replied, row.followed_up),
      conversion_rate: rate(row.converted, row.followed_up),
    })),
    skip_reasons: Object.fromEntries(skipReasons.map((row) => [row.reason, row.count])),
    credits_used: totals.credits,
  };
}

/** The most frequent values of a column (case folded), for what customers wanted and objected. */
async function topOf(
  deps: Pick<AppDeps, 'db'>,
  where: ReturnType<typeof and>,
  column: typeof followups.productMentioned | typeof followups.customerObjection,
) {
  const folded = sql<string>`lower(trim(${column}))`;
  return deps.db
    .select({ value: sql<string>`min(${column})`, count: count() })
    .from(followups)
    .where(and(where, isNotNull(column)))
    .groupBy(folded)
    .orderBy(desc(count()), folded)
    .limit(TOP);
}
