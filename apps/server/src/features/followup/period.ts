/** The `period` of the logs and stats, as instants: whole days of the shop's time zone. Pure. */
import type { FollowupPeriodInput } from '@parley/contract';
import { badRequest } from '../../lib/errors.ts';
import { addDays, dayOf, startOfDay } from '../../lib/zoned-time.ts';

export interface Period {
  /** Null: since the beginning. */
  from: Date | null;
  /** Exclusive; null: up to now and beyond. */
  until: Date | null;
}

const LAST_DAYS: Record<string, number> = {
  last_7_days: 7,
  last_30_days: 30,
  last_90_days: 90,
  last_365_days: 365,
};

export function resolvePeriod(input: FollowupPeriodInput, timeZone: string, now: Date): Period {
  const custom = input.period === 'custom';
  if (!custom && (input.date_from !== undefined || input.date_to !== undefined)) {
    throw badRequest('date_from and date_to go with period "custom" only.');
  }
  const today = dayOf(now, timeZone);
  const day = (value: string) => startOfDay(value, timeZone);
  const monthStart = `${today.slice(0, 7)}-01`;
  switch (input.period) {
    case 'today':
      return { from: day(today), until: null };
    case 'yesterday':
      return { from: day(addDays(today, -1)), until: day(today) };
    case 'this_month':
      return { from: day(monthStart), until: null };
    case 'last_month':
      return { from: day(`${addDays(monthStart, -1).slice(0, 7)}-01`), until: day(monthStart) };
    case 'all_time':
      return { from: null, until: null };
    case 'custom': {
      if (input.date_from === undefined || input.date_to === undefined) {
        throw badRequest('period "custom" needs both date_from and date_to (YYYY-MM-DD).');
      }
      if (input.date_from > input.date_to) throw badRequest('date_from must be on or before date_to.');
      return { from: day(input.date_from), until: day(addDays(input.date_to, 1)) };
    }
    default:
      return { from: day(addDays(today, 1 - (LAST_DAYS[input.period] ?? 7))), until: null };
  }
}

export const presentPeriod = (input: FollowupPeriodInput, period: Period) => ({
  period: input.period,
  from: period.from?.toISOString() ?? null,
  until: period.until?.toISOString() ?? null,
});
