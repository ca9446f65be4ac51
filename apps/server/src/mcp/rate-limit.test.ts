import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createManualClock } from '../lib/clock.ts';
import { createRateLimiter } from './rate-limit.ts';

test('allows `limit` requests in any window and says when the next slot frees', () => {
  const clock = createManualClock();
  const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, clock });
  assert.deepEqual(limiter.take('a'), { allowed: true });
  clock.advance(15_000);
  assert.deepEqual(limiter.take('a'), { allowed: true });
  assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 45 });
  clock.advance(44_999);
  assert.equal(limiter.take('a').allowed, false, 'the first request is still inside the window');
  clock.advance(1);
  assert.equal(limiter.take('a').allowed, true);
  // The window slides: the second request (at 15 s) now holds the oldest slot.
  assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 15 });
});

test('keys are independent, and a refused request does not use a slot', () => {
  const clock = createManualClock();
  const limiter = createRateLimiter({ limit: 1, windowMs: 1_000, clock });
  assert.equal(limiter.take('a').allowed, true);
  assert.equal(limiter.take('a').allowed, false);
  assert.equal(limiter.take('b').allowed, true);
  clock.advance(1_000);
  assert.equal(limiter.take('a').allowed, true);
});

test('Retry-After is at least one second', () => {
  const clock = createManualClock();
  const limiter = createRateLimiter({ limit: 1, windowMs: 1_000, clock });
  limiter.take('a');
  clock.advance(999);
  assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 1 });
});

test('release gives back the most recent slot, before and after the ring is full', () => {
  const clock = createManualClock();
  const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, clock });
  limiter.take('a');
  limiter.release('a');
  limiter.take('a');
  clock.advance(10_000);
  assert.deepEqual(limiter.take('a'), { allowed: true }, 'the released slot was free again');
  assert.equal(limiter.take('a').allowed, false);

  // Full ring, at 69 s: the slot of 0 s has expired and is reused, given back and reused again;
  // the one of 10 s still holds until 70 s.
  clock.advance(59_000);
  assert.deepEqual(limiter.take('a'), { allowed: true });
  limiter.release('a');
  assert.deepEqual(limiter.take('a'), { allowed: true });
  assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 1 });
  limiter.release('b');
  limiter.release('a');
  assert.deepEqual(limiter.take('a'), { allowed: true });
});
