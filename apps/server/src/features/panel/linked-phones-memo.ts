/**
 * The phones linked to every chat of a shop, kept in memory per shop, so that neither a cached nor an
 * uncached lookup reads the links table. Links are made by hand, a few per chat, so a shop's map stays
 * small. A link change, made through this process or another one, forgets the shop's map
 * (link-changes.ts).
 */
import type { AppDeps } from '../../app-deps.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { normalizeRelated } from './links.ts';
import { selectShopLinkedPhones } from './links-store.ts';
import { SingleFlight } from './single-flight.ts';

type ChatLinks = ReadonlyMap<string, readonly string[]>;

const noPhones: readonly string[] = [];
const MAX_SHOPS = 10_000;

export class LinkedPhonesMemo {
  readonly #db: AppDeps['db'];
  readonly #memo: TtlCache<ChatLinks>;
  readonly #loads = new SingleFlight<ChatLinks>();
  readonly #lifetime: { freshMs: number; staleMs: number };
  /** Bumped by every forget, so a read that started before a link change does not store old links. */
  #generation = 0;

  constructor(deps: Pick<AppDeps, 'db' | 'clock'>, lifetimeMs: number) {
    this.#db = deps.db;
    this.#memo = new TtlCache({ maxEntries: MAX_SHOPS, clock: deps.clock });
    this.#lifetime = { freshMs: lifetimeMs, staleMs: 0 };
  }

  /** The phones linked to the chat `phone` (E.164), sorted. */
  async get(shopId: string, phone: string): Promise<readonly string[]> {
    const links = this.#memo.get(shopId)?.value ?? (await this.#load(shopId));
    return links.get(phone) ?? noPhones;
  }

  forget(shopId: string): void {
    this.#generation++;
    this.#memo.delete(shopId);
  }

  forgetAll(): void {
    this.#generation++;
    this.#memo.deleteByPrefix('');
  }

  #load(shopId: string): Promise<ChatLinks> {
    const generation = this.#generation;
    // Keyed by generation too: a request after a link change must not join a read that started before it.
    return this.#loads.run(`${shopId}#${generation}`, async () => {
      const byChat = new Map<string, string[]>();
      for (const { chatPhone, phone } of await selectShopLinkedPhones(this.#db, shopId)) {
        byChat.set(chatPhone, [...(byChat.get(chatPhone) ?? []), phone]);
      }
      const links: ChatLinks = new Map(
        [...byChat].map(([chatPhone, phones]) => [chatPhone, normalizeRelated(phones, chatPhone)]),
      );
      if (generation === this.#generation) this.#memo.set(shopId, links, this.#lifetime);
      return links;
    });
  }
}
