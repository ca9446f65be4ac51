/**
 * Reads the active chat and its messages from WhatsApp Web's own models. None of it is a public API,
 * so every step is checked and any surprise means "store unreachable" (the markup decides).
 * - The chat collection: `WAWebChatCollection.ChatCollection`, or `WAWebCollections.Chat`, the name
 *   pedroslopez/whatsapp-web.js reads it by (src/Client.js); wppconnect-team/wa-js finds it by its
 *   `ChatCollection` export whatever the module is called (src/whatsapp/stores.ts).
 * - The active chat: `getActive()`, else the chat whose `active` is set, as wa-js's getActiveChat
 *   does (src/chat/functions/getActiveChat.ts).
 * - Its messages: `chat.msgs.getModelsArray()`, notifications left out, the text of a text message
 *   (`body`) or the caption of a media one (a media message's `body` is its thumbnail), as
 *   whatsapp-web.js's fetchMessages and getMessageModel do (src/structures/Chat.js,
 *   src/util/Injected/Utils.js).
 */
import type { StoreAnswer, StoreChatSnapshot, StoreMessage } from '../shared/store-bridge.ts';
import { phoneOfLidChat } from './chat-phone.ts';
import { field, guarded, type ModuleGraph } from './module-graph.ts';

const CHAT_COLLECTIONS: ReadonlyArray<readonly [module: string, name: string]> = [
  ['WAWebChatCollection', 'ChatCollection'],
  ['WAWebCollections', 'Chat'],
];

/** The latest messages handed over per read: what a reply or a report needs, bounded across worlds. */
const MESSAGES_READ = 100;

const unreachable = { status: 'unreachable' } as const;

export function readActiveChat(graph: ModuleGraph): StoreAnswer<StoreChatSnapshot> {
  if (!graph.settled) return { status: 'waiting' };
  const collection = chatCollection(graph);
  if (collection === null) return unreachable;
  const active = activeChat(collection);
  if (active === undefined) return unreachable;
  if (active === null)
    return {
      status: 'ok',
      value: { chatJid: null, phoneJid: null, phoneFrom: null, title: null, messagesReadable: false },
    };
  const id = field(active, 'id');
  const chatJid = serializedWid(id);
  if (chatJid === null) return unreachable;
  const contact = field(active, 'contact');
  const phone = chatJid.endsWith('@lid') ? phoneOfLidChat(graph, id, contact) : null;
  return {
    status: 'ok',
    value: {
      chatJid,
      phoneJid: phone?.phoneJid ?? null,
      phoneFrom: phone?.phoneFrom ?? null,
      title: firstText(field(active, 'formattedTitle'), field(active, 'name'), field(contact, 'name')),
      messagesReadable: messageModels(active) !== null,
    },
  };
}

export function readActiveMessages(graph: ModuleGraph): StoreAnswer<StoreMessage[]> {
  if (!graph.settled) return { status: 'waiting' };
  const collection = chatCollection(graph);
  const active = collection === null ? undefined : activeChat(collection);
  if (active === undefined || active === null) return unreachable;
  const models = messageModels(active);
  if (models === null) return unreachable;
  const messages: StoreMessage[] = [];
  for (const model of models.slice(-MESSAGES_READ)) {
    const message = storeMessage(model);
    if (message !== null) messages.push(message);
  }
  return { status: 'ok', value: messages };
}

function chatCollection(graph: ModuleGraph): unknown {
  for (const [module, name] of CHAT_COLLECTIONS) {
    const collection = field(graph.module(module), name);
    if (typeof collection === 'object' && collection !== null) return collection;
  }
  return null;
}

/** The active chat; null when none is open; undefined when the collection cannot say. */
function activeChat(collection: unknown): unknown {
  const getActive = field(collection, 'getActive');
  if (typeof getActive === 'function') return guarded(() => getActive.call(collection) ?? null);
  const models = modelsOf(collection);
  if (models === null) return undefined;
  return models.find((chat) => field(chat, 'active') === true) ?? null;
}

function messageModels(chat: unknown): unknown[] | null {
  return modelsOf(field(chat, 'msgs'));
}

/** A WhatsApp collection's models: `getModelsArray()`, or its `models` array. */
function modelsOf(collection: unknown): unknown[] | null {
  const getModelsArray = field(collection, 'getModelsArray');
  const models =
    typeof getModelsArray === 'function'
      ? guarded(() => getModelsArray.call(collection) as unknown)
      : field(collection, 'models');
  return Array.isArray(models) ? models : null;
}

function storeMessage(model: unknown): StoreMessage | null {
  if (field(model, 'isNotification') === true) return null;
  const key = field(model, 'id');
  const id = field(key, 'id');
  const fromMe = field(key, 'fromMe');
  const type = field(model, 'type');
  const timestamp = field(model, 't');
  if (typeof id !== 'string' || id === '' || typeof fromMe !== 'boolean' || typeof type !== 'string')
    return null;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return null;
  const text = field(model, type === 'chat' ? 'body' : 'caption');
  if (typeof text !== 'string' || text.trim() === '') return null;
  return { id, fromMe, text, type, timestamp };
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
