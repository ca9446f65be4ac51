// Date, optional time (T or the space SQL databases print), optional fraction, optional zone (Z, ±HH:MM, ±HHMM).
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The ISO 8601 form of a date a CRM sent, or null when it is not one. `Date.parse` alone is not enough:
 * it rolls `2026-02-30` over to March and accepts engine-specific formats ("March 7, 2026") that another
 * runtime may read differently. The result uses `T` and `±HH:MM` so every runtime parses it the same;
 * the time zone is kept as sent (a date without one stays local to the CRM, as it meant).
 */
export function normalizeIsoDate(text: string): string | null {
  const match = isoDateTime.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (!inRange(month, 1, 12) || !inRange(day, 1, daysInMonth(Number(year), Number(month)))) return null;
  if (hour === undefined) return `${year}-${month}-${day}`;
  if (!inRange(hour, 0, 23) || !inRange(minute, 0, 59) || !inRange(second ?? '0', 0, 59)) return null;
  const offset = normalizeZone(zone);
  if (offset === null) return null;
  const seconds = second === undefined ? '' : `:${second}${fraction ?? ''}`;
  return `${year}-${month}-${day}T${hour}:${minute}${seconds}${offset}`;
}

function inRange(digits: string | undefined, min: number, max: number): boolean {
  const value = Number(digits);
  return value >= min && value <= max;
}

/** `±HH:MM` for any accepted zone spelling, '' for none, null for an impossible offset. */
function normalizeZone(zone: string | undefined): string | null {
  if (zone === undefined) return '';
  if (zone.toUpperCase() === 'Z') return 'Z';
  const hours = zone.slice(1, 3);
  const minutes = zone.slice(-2);
  return inRange(hours, 0, 23) && inRange(minutes, 0, 59) ? `${zone.slice(0, 3)}:${minutes}` : null;
}
