import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import {
  crmLatencySummary,
  forgetCrmLatency,
  LATENCY_WINDOW,
  percentile,
  recordCrmLatency,
} from './latency.ts';
import { createInvalidationChannel } from '../../lib/invalidation.ts';

const deps = { invalidation: createInvalidationChannel() };

test('nearest-rank percentiles are latencies some call really had', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100];
  assert.equal(percentile(sorted, 50), 10);
  assert.equal(percentile(sorted, 95), 19);
  assert.equal(percentile([42], 95), 42);
  assert.equal(percentile([], 50), null);
});

test('keeps the last calls per shop and type only', async () => {
  const shop = randomUUID();
  // An old slow period, then a full window of fast calls: only the fast ones are reported.
  for (let i = 0; i < 50; i++) recordCrmLatency(deps, shop, 'globalSearch', 5_000);
  for (let i = 1; i <= LATENCY_WINDOW; i++) recordCrmLatency(deps, shop, 'globalSearch', i);
  recordCrmLatency(deps, shop, 'search_Products', 7);

  const summary = crmLatencySummary(deps, shop, 'globalSearch');
  assert.equal(summary.calls, LATENCY_WINDOW);
  assert.equal(summary.p50_ms, LATENCY_WINDOW / 2);
  assert.equal(summary.p95_ms, (LATENCY_WINDOW * 95) / 100);
  assert.equal(crmLatencySummary(deps, shop, 'search_Products').p95_ms, 7);
  assert.equal(crmLatencySummary(deps, randomUUID(), 'globalSearch').calls, 0, 'another shop has its own');
  const otherApp = { invalidation: createInvalidationChannel() };
  assert.equal(crmLatencySummary(otherApp, shop, 'globalSearch').calls, 0, 'another app has its own');

  await forgetCrmLatency(deps, shop, 'globalSearch');
  assert.deepEqual(
    [
      crmLatencySummary(deps, shop, 'globalSearch').calls,
      crmLatencySummary(deps, shop, 'search_Products').calls,
    ],
    [0, 1],
  );
});
