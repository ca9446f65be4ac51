/**
 * A cache of reads that stays exact: an entry is served only while no statement since its read may
 * have changed the tables it read (local-writes.ts). Without a record of writes (PostgreSQL, where
 * other processes write too) it reads every time.
 *
 * For reads that are cheap to check but not to repeat, asked far more often than their tables change:
 * on PGlite a statement costs the server's only thread, and an MCP client polling a configuration
 * should not.
 */
import type { Invalidatable } from '../lib/invalidation.ts';
import type { LocalWrites } from './local-writes.ts';

export interface WriteCheckedCache<V> extends Invalidatable {
  /** `key`'s value: the one read before when its tables have not changed since, else `load`'s. */
  read(key: string, load: () => Promise<V>): Promise<V>;
}

export function createWriteCheckedCache<V>(
  writes: LocalWrites | undefined,
  tables: readonly string[],
  { maxEntries }: { maxEntries: number },
): WriteCheckedCache<V> {
  const entries = new Map<string, { mark: number; value: V }>();
  return {
    async read(key, load) {
      if (writes === undefined) return load();
      const entry = entries.get(key);
      if (entry !== undefined && !writes.changedSince(entry.mark, tables)) return entry.value;
      // Marked before the read: a change that lands while it runs makes the entry stale at once.
      const mark = writes.mark();
      const value = await load();
      entries.delete(key);
      entries.set(key, { mark, value });
      // Oldest read first: a Map iterates in insertion order.
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return value;
    },
    invalidate(key) {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
  };
}
