import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseRetryAfter } from './retry-after.ts';

const now = new Date('2026-03-02T10:00:00Z');

test('delay-seconds and HTTP dates, measured from now', () => {
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Mon, 02 Mar 2026 11:00:00 GMT', now), 3_600_000);
  assert.equal(parseRetryAfter('Mon, 02 Mar 2026 09:00:00 GMT', now), 0, 'a date in the past means now');
});

test('absent or unreadable values are null', () => {
  for (const value of [undefined, '', '-5', '1.5', 'soon', '2026-03-02T11:00:00Z', 'Mon, 99 Foo 2026 GMT']) {
    assert.equal(parseRetryAfter(value, now), null, String(value));
  }
});
