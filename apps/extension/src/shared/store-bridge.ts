/**
 * The content script runs in an isolated world and cannot see WhatsApp's JavaScript; the MAIN-world
 * script can. They talk through DOM events on `document`: the content script dispatches a request and
 * the MAIN-world script answers synchronously inside that dispatch. Details are JSON strings because
 * objects do not cross between worlds, and every answer is validated because any page script could
 * dispatch the same events.
 */

/** Where the number of a chat addressed by a `@lid` id came from (see `main-world/chat-phone.ts`). */
export type PhoneOrigin = 'contact' | 'lid_map' | 'contact_fields';

/** What WhatsApp's own chat store says about the active chat. */
export interface StoreChatSnapshot {
  /** Null when the store has no active chat. */
  chatJid: string | null;
  /** The contact's `@c.us` id when the chat is addressed by a `@lid` id and WhatsApp knows the number. */
  phoneJid: string | null;
  /** Which of WhatsApp's sources named `phoneJid`; null with it. */
  phoneFrom: PhoneOrigin | null;
  title: string | null;
  /** Whether the active chat's message collection could be read. */
  messagesReadable: boolean;
}

/** One message of the active chat as WhatsApp's model holds it. */
export interface StoreMessage {
  /** WhatsApp's own message id (the last part of the serialized key), the same the markup shows. */
  id: string;
  fromMe: boolean;
  /** The text of a text message, or the caption of a media message. */
  text: string;
  /** WhatsApp's message type (`chat`, `image`, …). */
  type: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

/**
 * `waiting`: WhatsApp's module graph has not settled yet (it registers modules progressively).
 * `unreachable`: the modules are not where the extension looks, or threw; the markup decides.
 */
export type StoreAnswer<T> = { status: 'waiting' } | { status: 'unreachable' } | { status: 'ok'; value: T };

export type StoreRequest = 'chat' | 'messages';

export const STORE_REQUEST_EVENT = 'parley:store-request';
export const STORE_ANSWER_EVENT = 'parley:store-answer';
/** Dispatched once the module graph settled, so the content script detects again with the store. */
export const STORE_READY_EVENT = 'parley:store-ready';

export const encodeStoreRequest = (request: StoreRequest): string => JSON.stringify(request);

export function decodeStoreRequest(detail: unknown): StoreRequest | null {
  if (typeof detail !== 'string') return null;
  const value = parseJson(detail);
  return value === 'chat' || value === 'messages' ? value : null;
}

export function encodeStoreAnswer<T>(answer: StoreAnswer<T>): string {
  return JSON.stringify(answer);
}

const isText = (v: unknown): v is string | null => v === null || typeof v === 'string';
const phoneOrigins: readonly unknown[] = ['contact', 'lid_map', 'contact_fields'] satisfies PhoneOrigin[];

function chatSnapshot(value: unknown): StoreChatSnapshot | null {
  if (typeof value !== 'object' || value === null) return null;
  const { chatJid, phoneJid, phoneFrom, title, messagesReadable } = value as Record<string, unknown>;
  if (!isText(chatJid) || !isText(phoneJid) || !isText(title) || typeof messagesReadable !== 'boolean')
    return null;
  if (phoneFrom !== null && !phoneOrigins.includes(phoneFrom)) return null;
  if ((phoneJid === null) !== (phoneFrom === null)) return null;
  return { chatJid, phoneJid, phoneFrom: phoneFrom as PhoneOrigin | null, title, messagesReadable };
}

function storeMessage(value: unknown): StoreMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, fromMe, text, type, timestamp } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || typeof fromMe !== 'boolean') return null;
  if (typeof text !== 'string' || typeof type !== 'string') return null;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return null;
  return { id, fromMe, text, type, timestamp };
}

/** The answer to a `chat` request; anything that is not one of ours counts as unreachable. */
export function decodeChatAnswer(detail: unknown): StoreAnswer<StoreChatSnapshot> {
  return decodeAnswer(detail, chatSnapshot);
}

/** The answer to a `messages` request; one malformed message makes the whole answer unreachable. */
export function decodeMessagesAnswer(detail: unknown): StoreAnswer<StoreMessage[]> {
  return decodeAnswer(detail, (value) => {
    if (!Array.isArray(value)) return null;
    const messages = value.map(storeMessage);
    return messages.every((message) => message !== null) ? (messages as StoreMessage[]) : null;
  });
}

function decodeAnswer<T>(detail: unknown, valueOf: (value: unknown) => T | null): StoreAnswer<T> {
  const unreachable = { status: 'unreachable' } as const;
  if (typeof detail !== 'string') return unreachable;
  const answer = parseJson(detail);
  if (typeof answer !== 'object' || answer === null) return unreachable;
  const { status, value } = answer as Record<string, unknown>;
  if (status === 'waiting') return { status: 'waiting' };
  if (status !== 'ok') return unreachable;
  const decoded = valueOf(value);
  return decoded === null ? unreachable : { status: 'ok', value: decoded };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
