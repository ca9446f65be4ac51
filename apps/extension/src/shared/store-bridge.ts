/**
 * The content script runs in an isolated world and cannot see WhatsApp's JavaScript; the MAIN-world
 * script can. They talk through DOM events on `document`: the content script dispatches a request and
 * the MAIN-world script answers synchronously inside that dispatch. Details are JSON strings because
 * objects do not cross between worlds, and the answer is validated because any page script could
 * dispatch the same event.
 */

/** What WhatsApp's own chat store says about the active chat. */
export interface StoreChatSnapshot {
  /** Null when the store has no active chat. */
  chatJid: string | null;
  /** The contact's `@c.us` id when the chat itself is addressed by a `@lid` id and WhatsApp knows the number. */
  phoneJid: string | null;
  title: string | null;
}

export const STORE_REQUEST_EVENT = 'parley:store-request';
export const STORE_ANSWER_EVENT = 'parley:store-answer';

export function encodeStoreAnswer(snapshot: StoreChatSnapshot | null): string {
  return JSON.stringify(snapshot);
}

/** The snapshot, or null when the store was unreachable or the answer is not one of ours. */
export function decodeStoreAnswer(detail: unknown): StoreChatSnapshot | null {
  if (typeof detail !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { chatJid, phoneJid, title } = value as Record<string, unknown>;
  const isText = (v: unknown): v is string | null => v === null || typeof v === 'string';
  if (!isText(chatJid) || !isText(phoneJid) || !isText(title)) return null;
  return { chatJid, phoneJid, title };
}
