/**
 * WhatsApp labels each text message with `data-pre-plain-text="[10:21, 2/3/2026] Lucía: "` (what it
 * puts before the text when copying). The time and date follow the language WhatsApp is shown in:
 * `[9:05 PM, 3/2/2026]` in American English, `[10:21 a. m., 2/3/2026]` in Spanish, `[10:21, 2.3.2026]`
 * in German, `[10:21, 2026-03-02]` in ISO order.
 */

const LABEL =
  /^\[(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?\s*([ap])?\.?\s?m?\.?,\s*(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})\.?\]\s*(.*?):\s*$/i;

export interface MessageLabel {
  /** Local time of the browser, which is the time zone WhatsApp Web shows. */
  sentAt: Date;
  author: string;
}

/** `dayFirst` resolves 2/3/2026: true in most locales, false in American English (see `dayFirstIn`). */
export function parsePrePlainText(label: string, dayFirst: boolean): MessageLabel | null {
  const match = LABEL.exec(label.trim());
  if (match === null) return null;
  const [, hourText, minuteText, meridiem, first, second, third, author] = match;
  if (first === undefined || second === undefined || third === undefined || author === undefined) return null;
  const date = dateParts(Number(first), Number(second), Number(third), first.length === 4, dayFirst);
  const hour = to24Hour(Number(hourText), meridiem?.toLowerCase());
  if (date === null || hour === null) return null;
  const sentAt = new Date(date.year, date.month - 1, date.day, hour, Number(minuteText));
  // Date rolls 31/2 over into March; a label that does that is not a date.
  if (sentAt.getDate() !== date.day || sentAt.getMonth() !== date.month - 1) return null;
  return { sentAt, author: author.trim() };
}

function dateParts(a: number, b: number, c: number, yearFirst: boolean, dayFirst: boolean) {
  if (yearFirst) return { year: a, month: b, day: c };
  const year = c < 100 ? 2000 + c : c;
  // An impossible month settles the order whatever the locale says.
  const [day, month] = a > 12 ? [a, b] : b > 12 ? [b, a] : dayFirst ? [a, b] : [b, a];
  return month >= 1 && month <= 12 && day >= 1 ? { year, month, day } : null;
}

function to24Hour(hour: number, meridiem: string | undefined): number | null {
  if (meridiem === undefined) return hour <= 23 ? hour : null;
  if (hour < 1 || hour > 12) return null;
  return (hour % 12) + (meridiem === 'p' ? 12 : 0);
}

/** Whether a locale writes the day before the month in numeric dates (es-ES: yes, en-US: no). */
export function dayFirstIn(locale: string): boolean {
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric' }).formatToParts(
    new Date(2026, 2, 5),
  );
  return parts.findIndex((part) => part.type === 'day') < parts.findIndex((part) => part.type === 'month');
}
