import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { defaultSmartFollowupSettings } from '@parley/contract';
import {
  followupDueAt,
  insideSendingWindow,
  intoSendingWindow,
  nextRunAfter,
  previousRunBefore,
  scheduledWindow,
} from './schedule.ts';

const MADRID = 'Europe/Madrid';
const daily = { ...defaultSmartFollowupSettings, run_hour: 10 };
const iso = (date: Date) => date.toISOString();

describe('run times on the shop wall clock', () => {
  test('10:00 in Madrid is 09:00 UTC in winter and 08:00 UTC in summer, across both DST changes', () => {
    // Spring forward on Sunday 2026-03-29, fall back on Sunday 2026-10-25.
    assert.equal(
      iso(nextRunAfter(daily, MADRID, new Date('2026-03-28T09:00:00Z'))),
      '2026-03-29T08:00:00.000Z',
    );
    assert.equal(
      iso(nextRunAfter(daily, MADRID, new Date('2026-03-27T12:00:00Z'))),
      '2026-03-28T09:00:00.000Z',
    );
    assert.equal(
      iso(nextRunAfter(daily, MADRID, new Date('2026-10-24T08:00:00Z'))),
      '2026-10-25T09:00:00.000Z',
    );
  });

  test('an hour the zone skips runs at the first instant after the gap, once', () => {
    const atTwo = { ...daily, run_hour: 2 };
    const run = nextRunAfter(atTwo, MADRID, new Date('2026-03-28T12:00:00Z'));
    assert.equal(iso(run), '2026-03-29T01:00:00.000Z'); // 03:00 CEST, the clock never shows 02:00
    assert.equal(iso(nextRunAfter(atTwo, MADRID, run)), '2026-03-30T00:00:00.000Z');
  });

  test('an hour the zone shows twice runs once', () => {
    const atTwo = { ...daily, run_hour: 2 };
    const run = nextRunAfter(atTwo, MADRID, new Date('2026-10-24T12:00:00Z'));
    const next = nextRunAfter(atTwo, MADRID, run);
    assert.equal(iso(next), '2026-10-26T01:00:00.000Z');
    assert.ok(next.getTime() - run.getTime() > 23 * 3_600_000);
  });

  test('days off are skipped, and the run after them looks back to the previous run', () => {
    const weekdays = { ...daily, run_days: [1, 2, 3, 4, 5], lookback_hours: 24 };
    // Friday 2026-03-06 after the run: the next is Monday 2026-03-09.
    const monday = nextRunAfter(weekdays, MADRID, new Date('2026-03-06T12:00:00Z'));
    assert.equal(iso(monday), '2026-03-09T09:00:00.000Z');
    assert.equal(iso(previousRunBefore(weekdays, MADRID, monday)), '2026-03-06T09:00:00.000Z');
    const window = scheduledWindow(weekdays, MADRID, monday);
    assert.equal(iso(window.from), '2026-03-06T09:00:00.000Z');
    // Tuesday's run looks back its 24 hours only.
    const tuesday = nextRunAfter(weekdays, MADRID, monday);
    assert.equal(iso(scheduledWindow(weekdays, MADRID, tuesday).from), '2026-03-09T09:00:00.000Z');
  });

  test('a lookback longer than the gap to the previous run wins', () => {
    const at = new Date('2026-03-10T09:00:00Z');
    assert.equal(
      iso(scheduledWindow({ ...daily, lookback_hours: 72 }, MADRID, at).from),
      '2026-03-07T09:00:00.000Z',
    );
  });

  test('the day after the clocks go back, the window still reaches the previous run (25 hours)', () => {
    const at = new Date('2026-10-26T09:00:00Z');
    assert.equal(iso(scheduledWindow(daily, MADRID, at).from), '2026-10-25T09:00:00.000Z');
  });
});

describe('the sending window', () => {
  const nineToEight = { sending_window_start: 9, sending_window_end: 20 };
  const overnight = { sending_window_start: 20, sending_window_end: 8 };

  test('inside is [start, end) on the shop clock, and may wrap past midnight', () => {
    assert.equal(insideSendingWindow(nineToEight, MADRID, new Date('2026-03-02T08:00:00Z')), true); // 09:00
    assert.equal(insideSendingWindow(nineToEight, MADRID, new Date('2026-03-02T19:00:00Z')), false); // 20:00
    assert.equal(insideSendingWindow(overnight, MADRID, new Date('2026-03-02T23:30:00Z')), true); // 00:30
    assert.equal(insideSendingWindow(overnight, MADRID, new Date('2026-03-02T10:00:00Z')), false); // 11:00
    const anyHour = { sending_window_start: null, sending_window_end: null };
    assert.equal(insideSendingWindow(anyHour, MADRID, new Date('2026-03-02T03:00:00Z')), true);
  });

  test('a time outside moves to the next opening: later today, or tomorrow', () => {
    assert.equal(
      iso(intoSendingWindow(nineToEight, MADRID, new Date('2026-03-02T05:00:00Z'))),
      '2026-03-02T08:00:00.000Z',
    );
    assert.equal(
      iso(intoSendingWindow(nineToEight, MADRID, new Date('2026-03-02T21:00:00Z'))),
      '2026-03-03T08:00:00.000Z',
    );
    assert.equal(
      iso(intoSendingWindow(overnight, MADRID, new Date('2026-03-02T10:00:00Z'))),
      '2026-03-02T19:00:00.000Z',
    );
    const inside = new Date('2026-03-02T12:34:00Z');
    assert.equal(intoSendingWindow(nineToEight, MADRID, inside), inside);
  });

  test('due time: the delay counts from when the conversation went quiet, never before now, then the window', () => {
    const settings = { ...nineToEight, delay_days: 2 };
    const quiet = new Date('2026-03-02T18:30:00Z'); // 19:30 local
    const now = new Date('2026-03-03T10:00:00Z');
    // Two days after 19:30 is 19:30, inside the window.
    assert.equal(iso(followupDueAt(settings, MADRID, quiet, now)), '2026-03-04T18:30:00.000Z');
    // Quiet at 21:00 local: two days later falls outside, so the next morning at 09:00.
    assert.equal(
      iso(followupDueAt(settings, MADRID, new Date('2026-03-02T20:00:00Z'), now)),
      '2026-03-05T08:00:00.000Z',
    );
    // No delay: now, if inside the window.
    assert.equal(iso(followupDueAt({ ...settings, delay_days: 0 }, MADRID, quiet, now)), iso(now));
  });
});
