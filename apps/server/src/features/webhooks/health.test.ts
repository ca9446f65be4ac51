import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { healthAfterAttempt, noHealth, PAUSE_AFTER_FAILING_MS, PROBE_INTERVAL_MS } from './health.ts';

const t0 = new Date('2026-03-02T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const healthy = noHealth;
const failed = { delivered: false, gone: false };

test('the first failure starts the 5 days; failing for less does not pause', () => {
  const once = healthAfterAttempt(healthy, failed, t0);
  assert.deepEqual(once.failingSince, t0);
  const later = healthAfterAttempt(once, failed, at(PAUSE_AFTER_FAILING_MS - 1));
  assert.deepEqual(
    [later.failingSince, later.pausedAt, later.lastFailureAt],
    [t0, null, at(PAUSE_AFTER_FAILING_MS - 1)],
  );
});

test('5 days of failures pause the webhook and schedule a probe 6 hours later', () => {
  const failing = healthAfterAttempt(healthy, failed, t0);
  const paused = healthAfterAttempt(failing, failed, at(PAUSE_AFTER_FAILING_MS));
  assert.equal(paused.pauseReason, 'failing');
  assert.deepEqual(paused.pausedAt, at(PAUSE_AFTER_FAILING_MS));
  assert.deepEqual(paused.nextProbeAt, at(PAUSE_AFTER_FAILING_MS + PROBE_INTERVAL_MS));
  const probeFailed = healthAfterAttempt(paused, failed, at(PAUSE_AFTER_FAILING_MS + PROBE_INTERVAL_MS));
  assert.deepEqual([probeFailed.pausedAt, probeFailed.nextProbeAt], [paused.pausedAt, paused.nextProbeAt]);
});

test('a 410 pauses at once; any success resumes and clears the failure window', () => {
  const gone = healthAfterAttempt(healthy, { delivered: false, gone: true }, t0);
  assert.deepEqual([gone.pauseReason, gone.pausedAt], ['gone', t0]);
  const resumed = healthAfterAttempt(gone, { delivered: true, gone: false }, at(1000));
  assert.deepEqual(resumed, { ...healthy, lastSuccessAt: at(1000), lastFailureAt: t0 });
});
