/**
 * Calendar months and days in a shop's time zone. Free credits renew on the 1st at 00:00 local
 * time (issue 6), so "which month is it" must be answered in the shop's zone, not in UTC.
 */
import { addDays, dayOf, localTime, startOfDay } from '../../lib/zoned-time.ts';

export { dayOf, startOfDay };

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The month each zone was last asked about, with its bounds: every credit movement asks. */
// A memo of a pure function (the same input always gives the same answer): nothing an app could see.
// eslint-disable-next-line no-restricted-syntax
const lastMonths = new Map<string, { period: string; from: number; until: number }>();

/** `YYYY-MM`, the month `instant` falls in, in `timeZone`. */
export function monthOf(instant: Date, timeZone: string): string {
  const time = instant.getTime();
  const last = lastMonths.get(timeZone);
  if (last !== undefined && time >= last.from && time < last.until) return last.period;
  const { year, month } = localTime(instant, timeZone);
  const period = `${pad(year, 4)}-${pad(month)}`;
  lastMonths.set(timeZone, {
    period,
    from: startOfDay(firstDayOf(period), timeZone).getTime(),
    until: renewalOf(period, timeZone).getTime(),
  });
  return period;
}

/** The day after `day`, both `YYYY-MM-DD` (calendar arithmetic, no zone involved). */
export const nextDay = (day: string): string => addDays(day, 1);

/** When the month after `period` (`YYYY-MM`) starts in `timeZone`: the free credits' renewal. */
export function renewalOf(period: string, timeZone: string): Date {
  const [year = 0, month = 1] = period.split('-').map(Number);
  const next = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  return startOfDay(next, timeZone);
}

/** The first day (`YYYY-MM-DD`) of `period`. */
export function firstDayOf(period: string): string {
  return `${period}-01`;
}
