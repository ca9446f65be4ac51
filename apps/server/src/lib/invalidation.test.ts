import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  createInvalidationChannel,
  deferInvalidations,
  GroupedCache,
  type InvalidationChannel,
} from './invalidation.ts';

const cacheOf = (channel: InvalidationChannel, topic = 'things') =>
  channel.cache(topic, () => new GroupedCache<string>({ maxEntries: 3, ttlMs: 1_000, now: () => 0 }));

test('an invalidation empties one group of its topic, in this process, at once', async () => {
  const channel = createInvalidationChannel();
  const cache = cacheOf(channel);
  assert.equal(cacheOf(channel), cache, 'one cache per topic and channel');
  cache.set('a1', 'a', 'x', cache.generation());
  cache.set('b1', 'b', 'y', cache.generation());
  const other = cacheOf(channel, 'other');
  other.set('a1', 'a', 'z', other.generation());
  await channel.invalidate('things', 'a');
  assert.equal(cache.get('a1'), undefined);
  assert.equal(cache.get('b1')?.value, 'y');
  assert.equal(other.get('a1')?.value, 'z', 'other topics keep theirs');
});

test('a read that began before an invalidation does not store what it read', async () => {
  const channel = createInvalidationChannel();
  const cache = cacheOf(channel);
  const generation = cache.generation();
  await channel.invalidate('things', 'a');
  cache.set('a1', 'a', 'old', generation);
  assert.equal(cache.get('a1'), undefined);
});

test("another group's invalidation does not refuse a read in flight; emptying everything does", async () => {
  const channel = createInvalidationChannel();
  const cache = cacheOf(channel);
  const beforeOther = cache.generation();
  await channel.invalidate('things', 'other shop');
  cache.set('b1', 'b', 'read before the other shop changed', beforeOther);
  assert.equal(cache.get('b1')?.value, 'read before the other shop changed');

  const beforeAll = cache.generation();
  channel.receive(undefined);
  cache.set('b2', 'b', 'read before everything was emptied', beforeAll);
  assert.equal(cache.get('b2'), undefined);
  cache.set('b2', 'b', 'read after', cache.generation());
  assert.equal(cache.get('b2')?.value, 'read after');
});

test('messages go out with an origin; a process skips its own and applies the others', async () => {
  const sent: string[] = [];
  const a = createInvalidationChannel({ broadcast: async (payload) => void sent.push(payload) });
  const b = createInvalidationChannel();
  const cacheA = cacheOf(a);
  const cacheB = cacheOf(b);
  for (const cache of [cacheA, cacheB]) cache.set('s1', 's', 'v', cache.generation());
  await a.invalidate('things', 's');
  assert.equal(sent.length, 1);
  cacheA.set('s1', 's', 'fresh', cacheA.generation());
  a.receive(sent[0]);
  assert.equal(cacheA.get('s1')?.value, 'fresh', 'its own message changes nothing');
  b.receive(sent[0]);
  assert.equal(cacheB.get('s1'), undefined);
});

test('a lost or unreadable message empties every cache', () => {
  const channel = createInvalidationChannel();
  const cache = cacheOf(channel);
  for (const payload of [undefined, 'not json', '{"topic":1}']) {
    cache.set('k', 'g', 'v', cache.generation());
    channel.receive(payload);
    assert.equal(cache.get('k'), undefined, String(payload));
  }
});

test('a failed broadcast is reported, and this process is still invalidated', async () => {
  const errors: unknown[] = [];
  const channel = createInvalidationChannel({
    broadcast: () => Promise.reject(new Error('database down')),
    onBroadcastError: (error) => errors.push(error),
  });
  const cache = cacheOf(channel);
  cache.set('k', 'g', 'v', cache.generation());
  await channel.invalidate('things', 'g');
  assert.equal(cache.get('k'), undefined);
  assert.equal(errors.length, 1);
});

test('the cache is bounded and entries expire', () => {
  let now = 0;
  const cache = new GroupedCache<number>({ maxEntries: 2, ttlMs: 10, now: () => now });
  for (const key of ['a', 'b', 'c']) cache.set(key, 'g', 1, cache.generation());
  assert.equal(cache.size, 2);
  assert.equal(cache.get('a'), undefined, 'the oldest went first');
  now = 10;
  assert.equal(cache.get('b'), undefined);
});

test('a group forgets keys that moved to another group, expired or were pushed out', () => {
  let now = 0;
  const cache = new GroupedCache<number>({ maxEntries: 2, ttlMs: 10, now: () => now });
  cache.set('k', 'a', 1, cache.generation());
  cache.set('k', 'b', 2, cache.generation());
  cache.invalidate('a');
  assert.equal(cache.get('k')?.value, 2, 'k belongs to b now');
  cache.set('x', 'a', 3, cache.generation());
  cache.set('y', 'a', 4, cache.generation());
  assert.equal(cache.get('k'), undefined, 'pushed out');
  cache.invalidate('b');
  assert.equal(cache.size, 2);
  now = 10;
  assert.equal(cache.get('x'), undefined);
  cache.invalidate('a');
  assert.equal(cache.size, 0);
});

test('a transaction’s invalidations wait for its commit, once each, and go nowhere without it', async () => {
  const sent: string[] = [];
  const channel = createInvalidationChannel({ broadcast: async (payload) => void sent.push(payload) });
  const cache = cacheOf(channel);
  cache.set('a1', 'a', 'x', cache.generation());

  const committed = deferInvalidations(channel);
  assert.equal(cacheOf(committed.channel), cache, 'reads inside use the same caches');
  await committed.channel.invalidate('things', 'a');
  await committed.channel.invalidate('things', 'a');
  assert.equal(cache.get('a1')?.value, 'x', 'nothing is emptied before the commit');
  assert.equal(sent.length, 0, 'nor told to the other processes');
  await committed.flush();
  assert.equal(cache.get('a1'), undefined);
  assert.equal(sent.length, 1, 'one message for the repeated invalidation');

  cache.set('a1', 'a', 'y', cache.generation());
  const rolledBack = deferInvalidations(channel);
  await rolledBack.channel.invalidate('things', 'a');
  // Rolled back: the caller never flushes.
  assert.equal(cache.get('a1')?.value, 'y');
  assert.equal(sent.length, 1);
});
