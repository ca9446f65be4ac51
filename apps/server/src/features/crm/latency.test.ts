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

test('nearest-rank percentiles are latencies some call really had', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100];
  assert.equal(percentile(sorted, 50), 10);
  assert.equal(percentile(sorted, 95), 19);
  assert.equal(percentile([42], 95), 42);
  assert.equal(percentile([], 50), null);
});

test('keeps the last calls per shop and type only', () => {
  const shop = randomUUID();
  // An old slow period, then a full window of fast calls: only the fast ones are reported.
  for (let i = 0; i < 50; i++) recordCrmLatency(shop, 'globalSearch', 5_000);
  for (let i = 1; i <= LATENCY_WINDOW; i++) recordCrmLatency(shop, 'globalSearch', i);
  recordCrmLatency(shop, 'search_Products', 7);

  const summary = crmLatencySummary(shop, 'globalSearch');
  assert.equal(summary.calls, LATENCY_WINDOW);
  assert.equal(summary.p50_ms, LATENCY_WINDOW / 2);
  assert.equal(summary.p95_ms, (LATENCY_WINDOW * 95) / 100);
  assert.equal(crmLatencySummary(shop, 'search_Products').p95_ms, 7);
  assert.equal(crmLatencySummary(randomUUID(), 'globalSearch').calls, 0, 'another shop has its own');

  forgetCrmLatency(shop, 'globalSearch');
  assert.deepEqual(
    [crmLatencySummary(shop, 'globalSearch').calls, crmLatencySummary(shop, 'search_Products').calls],
    [0, 1],
  );
});
