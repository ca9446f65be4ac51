import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { decideAfterAttempt, MAX_ATTEMPTS, nextRetryDelay } from './retry-schedule.ts';

const noJitter = () => 0;

test('the schedule of docs/webhooks.md: 9 delays, 10 attempts', () => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((failures) => nextRetryDelay(failures, noJitter, null));
  const s = 1000;
  assert.deepEqual(delays, [
    5 * s,
    300 * s,
    1800 * s,
    7200 * s,
    18000 * s,
    36000 * s,
    50400 * s,
    72000 * s,
    86400 * s,
  ]);
  assert.equal(MAX_ATTEMPTS, 10);
  assert.equal(nextRetryDelay(10, noJitter, null), null);
});

test('jitter adds up to 10 %', () => {
  assert.equal(
    nextRetryDelay(2, () => 0.5, null),
    315_000,
  );
  const most = nextRetryDelay(9, () => 0.999_999_9, null) ?? 0;
  assert.ok(most > 86_400_000 * 1.0999 && most < 86_400_000 * 1.1, String(most));
});

test('Retry-After delays the next attempt but never brings it forward, and is capped at 24 h', () => {
  assert.equal(nextRetryDelay(1, noJitter, 120_000), 120_000);
  assert.equal(nextRetryDelay(2, noJitter, 1_000), 300_000);
  assert.equal(nextRetryDelay(1, noJitter, 30 * 86_400_000), 86_400_000);
  assert.equal(nextRetryDelay(10, noJitter, 1_000), null, 'an exhausted schedule stays exhausted');
});

test('a decision counts failures from the start of the current schedule', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  const failed = { delivered: false, retryAfterMs: null };
  assert.deepEqual(decideAfterAttempt({ attempt: 1, scheduleStart: 0 }, failed, now, noJitter), {
    status: 'queued',
    dueAt: new Date('2026-03-02T10:00:05Z'),
  });
  assert.deepEqual(decideAfterAttempt({ attempt: 10, scheduleStart: 0 }, failed, now, noJitter), {
    status: 'exhausted',
  });
  assert.equal(
    decideAfterAttempt({ attempt: 12, scheduleStart: 10 }, failed, now, noJitter).status,
    'queued',
  );
  assert.deepEqual(
    decideAfterAttempt(
      { attempt: 12, scheduleStart: 10 },
      { delivered: true, retryAfterMs: null },
      now,
      noJitter,
    ),
    { status: 'delivered' },
  );
});
