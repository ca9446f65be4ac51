/** Money, dates and "N s ago" in the agent's locale, with `Intl`; bad input degrades to plain text. */

export interface Formatters {
  /** `currency` is an ISO 4217 code from the CRM; without one, the bare number. */
  money(amount: number, currency: string | null): string;
  number(value: number): string;
  /** An ISO 8601 date or date-time; text the CRM sent that is not a date is shown as sent. */
  date(value: string): string;
  /** The same with the time of day, for what happens within days (a follow-up falling due). */
  dateTime(value: string): string;
  /** How long ago `then` was, from `now` ("12 seconds ago", "hace 12 segundos"). */
  ago(then: Date, now: Date): string;
}

export function createFormatters(locale: string): Formatters {
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const currencies = new Map<string, Intl.NumberFormat>();
  const currencyFormat = (code: string): Intl.NumberFormat | null => {
    const known = currencies.get(code);
    if (known !== undefined) return known;
    try {
      const created = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
      currencies.set(code, created);
      return created;
    } catch {
      // Not an ISO 4217 code ("EUROS", "$"): shown after the number instead.
      return null;
    }
  };
  return {
    money(amount, currency) {
      if (currency === null) return numbers.format(amount);
      return (
        currencyFormat(currency.toUpperCase())?.format(amount) ?? `${numbers.format(amount)} ${currency}`
      );
    },
    number: (value) => numbers.format(value),
    date: (value) => formatDate(dates, value),
    dateTime: (value) => formatDate(dateTimes, value),
    ago(then, now) {
      const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
      if (seconds > -60) return relative.format(Math.min(seconds, 0), 'second');
      const minutes = Math.round(seconds / 60);
      if (minutes > -60) return relative.format(minutes, 'minute');
      return relative.format(Math.round(minutes / 60), 'hour');
    },
  };
}

function formatDate(format: Intl.DateTimeFormat, value: string): string {
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? value : format.format(parsed);
}
