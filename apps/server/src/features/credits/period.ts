/**
 * Calendar months and days in a shop's time zone. Free credits renew on the 1st at 00:00 local
 * time (issue 6), so "which month is it" must be answered in the shop's zone, not in UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are slow to build and a server sees few zones: one per zone, kept. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(instant: Date, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = parts;
  return { year, month, day, hour, minute, second };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The month each zone was last asked about, with its bounds: every credit movement asks. */
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

/** `YYYY-MM-DD`, the day `instant` falls in, in `timeZone`. */
export function dayOf(instant: Date, timeZone: string): string {
  const { year, month, day } = localTime(instant, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const t = localTime(new Date(instant), timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant local midnight starts `day` (`YYYY-MM-DD`) in `timeZone`. The offset is looked up
 * twice because the first guess may sit on the other side of a daylight-saving change.
 */
export function startOfDay(day: string, timeZone: string): Date {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const wallClock = Date.UTC(year, month - 1, date);
  const first = wallClock - offsetAt(wallClock, timeZone);
  return new Date(wallClock - offsetAt(first, timeZone));
}

/** The day after `day`, both `YYYY-MM-DD` (calendar arithmetic, no zone involved). */
export function nextDay(day: string): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

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
