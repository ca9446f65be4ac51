/**
 * The phones linked to each chat, kept in memory so a cached lookup needs no database read. A link
 * change made through this process forgets the chat at once; one made through another process (several
 * processes on one PostgreSQL) is seen within the memo's lifetime, or at once with `refresh=1`.
 */
import type { AppDeps } from '../../app-deps.ts';
import { linkedPhonesFor } from './links.ts';
import { SingleFlight } from './single-flight.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';

export class LinkedPhonesMemo {
  readonly #deps: Pick<AppDeps, 'db' | 'clock'>;
  readonly #memo: TtlCache<readonly string[]>;
  readonly #loads = new SingleFlight<readonly string[]>();
  readonly #lifetime: { freshMs: number; staleMs: number };
  /** Bumped by every forget, so a read that started before a link change does not store old links. */
  #generation = 0;

  constructor(deps: Pick<AppDeps, 'db' | 'clock'>, options: { maxEntries: number; lifetimeMs: number }) {
    this.#deps = deps;
    this.#memo = new TtlCache({ maxEntries: options.maxEntries, clock: deps.clock });
    this.#lifetime = { freshMs: options.lifetimeMs, staleMs: 0 };
  }

  /** `reload` skips the memo (the agent asked for fresh data). */
  async get(shopId: string, phone: string, reload = false): Promise<readonly string[]> {
    const key = `${shopId}|${phone}`;
    if (!reload) {
      const hit = this.#memo.get(key);
      if (hit !== undefined) return hit.value;
    }
    const generation = this.#generation;
    // Keyed by generation too: a request after a link change must not join a read that started before it.
    return this.#loads.run(`${key}#${generation}`, async () => {
      const phones = await linkedPhonesFor(this.#deps, shopId, phone);
      if (generation === this.#generation) this.#memo.set(key, phones, this.#lifetime);
      return phones;
    });
  }

  forget(shopId: string, phone: string): void {
    this.#generation++;
    this.#memo.delete(`${shopId}|${phone}`);
  }
}
