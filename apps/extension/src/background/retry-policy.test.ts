import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelay } from './retry-policy.ts';

test('a server restarting, a gateway error or rate limiting is retried, a bounded number of times', () => {
  const unreachable = { kind: 'unreachable', detail: '' } as const;
  assert.equal(retryDelay(0, unreachable, 2), 400);
  assert.equal(retryDelay(1, unreachable, 2), 1500);
  assert.equal(retryDelay(2, unreachable, 2), null);
  for (const status of [429, 502, 503, 504]) {
    assert.notEqual(retryDelay(0, { kind: 'server_error', detail: '', status }, 1), null, String(status));
  }
});

test('what a retry cannot fix is not retried', () => {
  assert.equal(retryDelay(0, { kind: 'timeout', detail: '' }, 2), null);
  assert.equal(retryDelay(0, { kind: 'unauthorized', detail: '', status: 401 }, 2), null);
  assert.equal(retryDelay(0, { kind: 'rejected', detail: '', status: 400 }, 2), null);
  assert.equal(retryDelay(0, { kind: 'server_error', detail: '', status: 500 }, 2), null);
  assert.equal(retryDelay(0, { kind: 'unreachable', detail: '' }, 0), null);
});
