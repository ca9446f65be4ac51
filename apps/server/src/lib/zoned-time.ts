/**
 * Wall-clock time in a time zone, both ways: what the clock on a shop's wall shows at an instant,
 * and the instant its clock shows a given day and hour. Intl is the only source of zone rules.
 */

// A memo of a pure function (the same input always gives the same answer): nothing an app could see.
// eslint-disable-next-line no-restricted-syntax
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

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = parts;
  return { year, month, day, hour, minute, second };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYY-MM-DD`, the day `instant` falls in, in `timeZone`. */
export function dayOf(instant: Date, timeZone: string): string {
  const { year, month, day } = localTime(instant, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The day `days` after `day` (negative: before), both `YYYY-MM-DD`: calendar arithmetic, no zone involved. */
export function addDays(day: string, days: number): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date)).getUTCDay();
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const t = localTime(new Date(instant), timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant local midnight starts `day` (`YYYY-MM-DD`) in `timeZone`. */
export const startOfDay = (day: string, timeZone: string): Date => instantAt(day, 0, timeZone);

/**
 * The instant the clock of `timeZone` shows `hour`:00 on `day` (`YYYY-MM-DD`). An hour that the
 * zone skips (the spring-forward gap) gives the first instant after the gap; an hour it shows twice
 * (fall-back) gives one of the two. Either way each day has exactly one such instant. The offset
 * is looked up twice because the first guess may sit on the other side of a daylight-saving change.
 */
export function instantAt(day: string, hour: number, timeZone: string): Date {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const wallClock = Date.UTC(year, month - 1, date, hour);
  const first = wallClock - offsetAt(wallClock, timeZone);
  return new Date(wallClock - offsetAt(first, timeZone));
}
