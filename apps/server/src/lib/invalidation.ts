/**
 * One channel that tells every per-process cache a change made it wrong: a revoked token, new CRM
 * endpoint settings, a shop's settings. The app creates one channel (runtime.ts) and every cache is
 * created through it, so the channel is also where a process's caches live: a test app gets fresh ones.
 *
 * `invalidate(topic, key)` empties the key's entries in this process at once and, when the app gave a
 * `broadcast` (PostgreSQL: NOTIFY), tells the other processes, which pass the message to `receive`.
 * A `receive` without a message means messages may have been lost (the listening connection broke):
 * every cache is emptied, which is always safe. docs/tokens-and-agents.md describes the guarantees.
 */
import { randomBytes } from 'node:crypto';

/** A cache the channel can empty: one key's entries (a shop id), or everything when `key` is undefined. */
export interface Invalidatable {
  invalidate(key: string | undefined): void;
}

export interface InvalidationChannel {
  /** The cache of `topic`, created by `create` on first use and emptied by every invalidation of the topic. */
  cache<C extends Invalidatable>(topic: string, create: () => C): C;
  /** Empties `key` of `topic` here now, and in every other process as soon as the message reaches it. */
  invalidate(topic: string, key: string): Promise<void>;
  /** A message from the database's channel; undefined when messages may have been lost. */
  receive(payload: string | undefined): void;
}

export interface InvalidationChannelOptions {
  /** Sends a message to the other processes; absent when this process is the only one (PGlite). */
  broadcast?: (payload: string) => Promise<void>;
  /**
   * A broadcast that failed. The change itself is made and this process's caches are emptied, so the
   * caller's request succeeds; other processes keep their copy until it expires (each cache bounds it).
   */
  onBroadcastError?: (error: unknown) => void;
}

interface Message {
  /** The process that sent it: a process skips its own messages, it emptied its caches when it sent them. */
  origin: string;
  topic: string;
  key: string;
}

const parseMessage = (payload: string): Message | undefined => {
  try {
    const value = JSON.parse(payload) as Partial<Message>;
    if (
      typeof value.origin === 'string' &&
      typeof value.topic === 'string' &&
      typeof value.key === 'string'
    ) {
      return { origin: value.origin, topic: value.topic, key: value.key };
    }
  } catch {
    // Not ours (someone else's NOTIFY on the channel): treated like a lost message below.
  }
  return undefined;
};

export function createInvalidationChannel(options: InvalidationChannelOptions = {}): InvalidationChannel {
  const origin = randomBytes(8).toString('hex');
  const caches = new Map<string, Invalidatable>();

  const emptyAll = () => {
    for (const cache of caches.values()) cache.invalidate(undefined);
  };

  return {
    cache<C extends Invalidatable>(topic: string, create: () => C): C {
      let cache = caches.get(topic);
      if (cache === undefined) {
        cache = create();
        caches.set(topic, cache);
      }
      return cache as C;
    },

    async invalidate(topic, key) {
      caches.get(topic)?.invalidate(key);
      if (options.broadcast === undefined) return;
      try {
        await options.broadcast(JSON.stringify({ origin, topic, key } satisfies Message));
      } catch (error) {
        options.onBroadcastError?.(error);
      }
    },

    receive(payload) {
      const message = payload === undefined ? undefined : parseMessage(payload);
      if (message === undefined) return emptyAll();
      if (message.origin === origin) return;
      caches.get(message.topic)?.invalidate(message.key);
    },
  };
}

/**
 * A channel for the work of one database transaction: invalidations wait in order until `flush`, which
 * the caller runs once the transaction has committed, and are dropped with it on rollback. Until the
 * commit other processes (and this one's readers) still see the old rows, so emptying their caches
 * earlier would let a reader cache the old state again, and emptying them for a change that is rolled
 * back would announce something that never happened. Caches are the channel's own, so a transaction
 * must not read back through a cache what it wrote itself (a rollback would leave that entry behind).
 */
export function deferInvalidations(channel: InvalidationChannel): {
  channel: InvalidationChannel;
  flush(): Promise<void>;
} {
  const pending = new Map<string, { topic: string; key: string }>();
  return {
    channel: {
      cache: (topic, create) => channel.cache(topic, create),
      invalidate: async (topic, key) => {
        // Repeats collapse: one message per topic and key says all of them.
        pending.set(JSON.stringify([topic, key]), { topic, key });
      },
      receive: (payload) => channel.receive(payload),
    },
    async flush() {
      const messages = [...pending.values()];
      pending.clear();
      for (const { topic, key } of messages) await channel.invalidate(topic, key);
    },
  };
}

interface Entry<V> {
  value: V;
  group: string;
  expiresAt: number;
}

/**
 * A bounded cache whose entries belong to a group (a shop id), as the channel empties them. Reads
 * that began before an invalidation of their group must not store what they read, which may be the
 * old state: take `generation()` before reading and pass it to `set`. Only an invalidation of the
 * entry's own group (or of everything) refuses it: with a thousand shops, another shop's change
 * lands during most reads, and refusing those would leave the cache empty (bench/panel-shops.ts).
 * Each group knows its keys, so an invalidation costs as much as the group holds, however full the
 * cache is (bench/invalidation.ts).
 */
export class GroupedCache<V> implements Invalidatable {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #keysByGroup = new Map<string, Set<string>>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Counts invalidations; each group, and `everything`, remembers the count of its last one. */
  #generation = 0;
  readonly #groupInvalidatedAt = new Map<string, number>();
  #everythingInvalidatedAt = 0;

  /** `now` in milliseconds: the app clock when tests move time, performance.now() otherwise. */
  constructor(options: { maxEntries: number; ttlMs: number; now: () => number }) {
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry, when there is a live one; `{ value }` so that a cached undefined is a hit too. */
  get(key: string): { value: V } | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#delete(key, entry);
      return undefined;
    }
    return entry;
  }

  generation(): number {
    return this.#generation;
  }

  /** Stores what a read that began at `generation` found, unless its group was invalidated in between. */
  set(key: string, group: string, value: V, generation: number): void {
    if (generation < this.#everythingInvalidatedAt) return;
    if (generation < (this.#groupInvalidatedAt.get(group) ?? 0)) return;
    const previous = this.#entries.get(key);
    if (previous !== undefined) this.#delete(key, previous);
    this.#entries.set(key, { value, group, expiresAt: this.#now() + this.#ttlMs });
    let keys = this.#keysByGroup.get(group);
    if (keys === undefined) {
      keys = new Set();
      this.#keysByGroup.set(group, keys);
    }
    keys.add(key);
    if (this.#entries.size > this.#maxEntries) {
      // Oldest written first out: a Map iterates in insertion order.
      const [oldestKey, oldest] = this.#entries.entries().next().value ?? [];
      if (oldestKey !== undefined && oldest !== undefined) this.#delete(oldestKey, oldest);
    }
  }

  invalidate(group: string | undefined): void {
    this.#generation++;
    if (group === undefined) {
      this.#everythingInvalidatedAt = this.#generation;
      // Every group's mark is now below this one: they can go.
      this.#groupInvalidatedAt.clear();
      this.#entries.clear();
      this.#keysByGroup.clear();
      return;
    }
    this.#groupInvalidatedAt.set(group, this.#generation);
    const keys = this.#keysByGroup.get(group);
    if (keys === undefined) return;
    this.#keysByGroup.delete(group);
    for (const key of keys) this.#entries.delete(key);
  }

  #delete(key: string, entry: Entry<V>): void {
    this.#entries.delete(key);
    const keys = this.#keysByGroup.get(entry.group);
    keys?.delete(key);
    if (keys?.size === 0) this.#keysByGroup.delete(entry.group);
  }
}
