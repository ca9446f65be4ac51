/**
 * A bounded in-memory cache whose entries are fresh for a while, then stale for a grace window,
 * then gone. Stale entries let a caller answer at once and refresh in the background
 * (stale-while-revalidate). Least recently used entries are evicted first, so memory stays bounded
 * however many phones are looked up. Time comes from the Clock seam, so tests move it by hand.
 */
import type { Clock } from './clock.ts';

export interface CacheLifetime {
  /** How long the entry is served as is. */
  freshMs: number;
  /** How long after that it may still be served while a refresh runs; 0 for none. */
  staleMs: number;
}

export interface CacheHit<V> {
  value: V;
  state: 'fresh' | 'stale';
}

interface Entry<V> {
  value: V;
  freshUntil: number;
  staleUntil: number;
}

export class TtlCache<V> {
  // A Map iterates in insertion order; re-inserting on every read keeps the least recently used first.
  readonly #entries = new Map<string, Entry<V>>();
  readonly #maxEntries: number;
  readonly #clock: Clock;

  constructor(options: { maxEntries: number; clock: Clock }) {
    if (options.maxEntries < 1) throw new Error('maxEntries must be at least 1');
    this.#maxEntries = options.maxEntries;
    this.#clock = options.clock;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): CacheHit<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.#clock.now().getTime();
    if (now >= entry.staleUntil) {
      this.#entries.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return { value: entry.value, state: now < entry.freshUntil ? 'fresh' : 'stale' };
  }

  set(key: string, value: V, lifetime: CacheLifetime): void {
    const now = this.#clock.now().getTime();
    this.#entries.delete(key);
    this.#entries.set(key, {
      value,
      freshUntil: now + lifetime.freshMs,
      staleUntil: now + lifetime.freshMs + lifetime.staleMs,
    });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every entry whose key starts with `prefix`. A full scan: for rare invalidations only. */
  deleteByPrefix(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }
}
