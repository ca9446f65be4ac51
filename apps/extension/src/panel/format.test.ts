import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFormatters } from './format.ts';

// Intl separates currency amounts with a narrow no-break space in some locales; compare on plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

test('money in the agent locale, with the order currency', () => {
  assert.equal(plain(createFormatters('es-ES').money(1234.5, 'EUR')), '1234,50 €');
  assert.equal(plain(createFormatters('en-US').money(1234.5, 'EUR')), '€1,234.50');
  assert.equal(plain(createFormatters('en-GB').money(9.9, 'gbp')), '£9.90');
});

test('money without a currency, or with one Intl does not know, still shows the amount', () => {
  assert.equal(createFormatters('en-US').money(12.5, null), '12.5');
  assert.equal(createFormatters('en-US').money(12.5, 'EUROS'), '12.5 EUROS');
});

test('dates in the agent locale; text that is not a date as sent', () => {
  assert.equal(createFormatters('en-US').date('2026-03-02T10:00:00Z'), 'Mar 2, 2026');
  assert.equal(createFormatters('es-ES').date('2026-03-02T10:00:00Z'), '2 mar 2026');
  assert.equal(createFormatters('en-US').date('last Tuesday'), 'last Tuesday');
});

test('date and time of day in the agent locale; text that is not a date as sent', () => {
  // The time depends on the machine's time zone; midday UTC is 2 March in every zone.
  assert.match(
    plain(createFormatters('en-US').dateTime('2026-03-02T12:00:00Z')),
    /^Mar 2, 2026, \d{1,2}:00 [AP]M$/,
  );
  assert.match(createFormatters('es-ES').dateTime('2026-03-02T12:00:00Z'), /^2 mar 2026, \d{1,2}:00$/);
  assert.equal(createFormatters('en-US').dateTime('soon'), 'soon');
});

test('"N seconds ago" and beyond', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  assert.equal(createFormatters('en-US').ago(ago(0), now), 'now');
  assert.equal(createFormatters('en-US').ago(ago(12), now), '12 seconds ago');
  assert.equal(createFormatters('es-ES').ago(ago(12), now), 'hace 12 segundos');
  assert.equal(createFormatters('en-US').ago(ago(300), now), '5 minutes ago');
  assert.equal(createFormatters('en-US').ago(ago(7200), now), '2 hours ago');
  // A clock slightly ahead of the server's never says "in 2 seconds".
  assert.equal(createFormatters('en-US').ago(ago(-2), now), 'now');
});
