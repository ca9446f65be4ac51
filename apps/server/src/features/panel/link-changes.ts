/**
 * Link changes on the app's invalidation channel (lib/invalidation.ts): a chat whose links changed,
 * through this process or another one on the same PostgreSQL, is forgotten by every panel service of
 * the app (its linked phones and its cached answers, which were asked with the old `relatedphones`).
 */
import type { AppDeps } from '../../app-deps.ts';
import type { Invalidatable } from '../../lib/invalidation.ts';

const TOPIC = 'panel_links';

/** Everything the channel tells of link changes goes to each listener; undefined means everything. */
class LinkChangeListeners implements Invalidatable {
  readonly #listeners = new Set<Invalidatable>();

  add(listener: Invalidatable): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  invalidate(key: string | undefined): void {
    for (const listener of this.#listeners) listener.invalidate(key);
  }
}

/** `listener` hears of every link change (`readLinkChange` reads the key); returns how to stop. */
export const listenToLinkChanges = (deps: Pick<AppDeps, 'invalidation'>, listener: Invalidatable) =>
  deps.invalidation.cache(TOPIC, () => new LinkChangeListeners()).add(listener);

/** Tells every process that the links of chat `phone` (E.164) changed. */
export const announceLinkChange = (deps: Pick<AppDeps, 'invalidation'>, shopId: string, phone: string) =>
  deps.invalidation.invalidate(TOPIC, `${shopId} ${phone}`);

/** The chat a link change names (shop ids and E.164 phones have no spaces). */
export function readLinkChange(key: string): { shopId: string; phone: string } {
  const [shopId = '', phone = ''] = key.split(' ');
  return { shopId, phone };
}
