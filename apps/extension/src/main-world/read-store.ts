/**
 * Reads the active chat from WhatsApp Web's own modules. WhatsApp exposes its module loader as
 * `window.require` ("WAWebChatCollection" holds the chat collection); nothing about it is a public
 * API, so every step is checked and any surprise means "store unreachable" and the DOM decides.
 */
import type { StoreChatSnapshot } from '../shared/store-bridge.ts';

type Loader = (name: string) => unknown;

export function readActiveChat(page: object): StoreChatSnapshot | null {
  const loader = field(page, 'require');
  if (typeof loader !== 'function') return null;
  let collection: unknown;
  try {
    collection = field((loader as Loader)('WAWebChatCollection'), 'ChatCollection');
  } catch {
    // The module is not loaded yet (WhatsApp is still starting) or was renamed.
    return null;
  }
  const getActive = field(collection, 'getActive');
  if (typeof getActive !== 'function') return null;
  const active: unknown = getActive.call(collection);
  if (active === undefined || active === null) return { chatJid: null, phoneJid: null, title: null };
  const chatJid = serializedWid(field(active, 'id'));
  if (chatJid === null) return null;
  const contact = field(active, 'contact');
  return {
    chatJid,
    phoneJid: serializedWid(field(contact, 'phoneNumber')),
    title: firstText(field(active, 'formattedTitle'), field(active, 'name'), field(contact, 'name')),
  };
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** A WhatsApp id object (`{user, server, _serialized}`) as its `user@server` text. */
function serializedWid(wid: unknown): string | null {
  const serialized = field(wid, '_serialized');
  return typeof serialized === 'string' && serialized.includes('@') ? serialized : null;
}

function firstText(...values: unknown[]): string | null {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
}
