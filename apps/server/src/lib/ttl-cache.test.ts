import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createManualClock } from './clock.ts';
import { TtlCache } from './ttl-cache.ts';

const lifetime = { freshMs: 60_000, staleMs: 600_000 };

test('an entry is fresh for freshMs, stale for staleMs after that, then gone', () => {
  const clock = createManualClock();
  const cache = new TtlCache<string>({ maxEntries: 10, clock });
  cache.set('a', 'alice', lifetime);
  assert.deepEqual(cache.get('a'), { value: 'alice', state: 'fresh' });
  clock.advance(59_999);
  assert.equal(cache.get('a')?.state, 'fresh');
  clock.advance(1);
  assert.deepEqual(cache.get('a'), { value: 'alice', state: 'stale' });
  clock.advance(599_999);
  assert.equal(cache.get('a')?.state, 'stale');
  clock.advance(1);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.size, 0, 'an expired entry is removed when read');
});

test('without a stale window an entry is gone as soon as it is not fresh', () => {
  const clock = createManualClock();
  const cache = new TtlCache<string>({ maxEntries: 10, clock });
  cache.set('a', 'alice', { freshMs: 5_000, staleMs: 0 });
  clock.advance(4_999);
  assert.equal(cache.get('a')?.state, 'fresh');
  clock.advance(1);
  assert.equal(cache.get('a'), undefined);
});

test('setting a key again replaces its value and restarts its lifetime', () => {
  const clock = createManualClock();
  const cache = new TtlCache<string>({ maxEntries: 10, clock });
  cache.set('a', 'alice', lifetime);
  clock.advance(70_000);
  cache.set('a', 'alicia', lifetime);
  assert.deepEqual(cache.get('a'), { value: 'alicia', state: 'fresh' });
  assert.equal(cache.size, 1);
});

test('past maxEntries the least recently used entry is evicted, reads count as use', () => {
  const clock = createManualClock();
  const cache = new TtlCache<number>({ maxEntries: 3, clock });
  cache.set('a', 1, lifetime);
  cache.set('b', 2, lifetime);
  cache.set('c', 3, lifetime);
  cache.get('a');
  cache.set('d', 4, lifetime);
  assert.equal(cache.size, 3);
  assert.equal(cache.get('b'), undefined, 'b was the least recently used');
  for (const key of ['a', 'c', 'd']) assert.ok(cache.get(key) !== undefined, key);
});

test('deleteByPrefix drops exactly the keys with that prefix', () => {
  const cache = new TtlCache<number>({ maxEntries: 10, clock: createManualClock() });
  for (const key of ['shop1|+34600|', 'shop1|+34600|+34611', 'shop1|+346001|', 'shop2|+34600|']) {
    cache.set(key, 1, lifetime);
  }
  cache.deleteByPrefix('shop1|+34600|');
  assert.equal(cache.get('shop1|+34600|'), undefined);
  assert.equal(cache.get('shop1|+34600|+34611'), undefined);
  assert.ok(cache.get('shop1|+346001|') !== undefined);
  assert.ok(cache.get('shop2|+34600|') !== undefined);
  cache.delete('shop2|+34600|');
  assert.equal(cache.size, 1);
});
