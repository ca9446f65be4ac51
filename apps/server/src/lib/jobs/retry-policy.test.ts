import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createRetryPolicy } from './retry-policy.ts';

const policy = createRetryPolicy({ delaysMs: [1_000, 60_000], jitter: 0.1 });

test('one delay per failure, then the schedule is used up', () => {
  assert.equal(policy.maxAttempts, 3);
  assert.equal(
    policy.delayAfter(1, () => 0),
    1_000,
  );
  assert.equal(
    policy.delayAfter(2, () => 0),
    60_000,
  );
  assert.equal(
    policy.delayAfter(3, () => 0),
    null,
  );
  assert.equal(
    policy.delayAfter(0, () => 0),
    null,
  );
});

test('jitter only adds, up to the given fraction', () => {
  assert.equal(
    policy.delayAfter(2, () => 0.5),
    63_000,
  );
  assert.equal(
    policy.delayAfter(2, () => 0.999_999),
    65_999,
  );
});
