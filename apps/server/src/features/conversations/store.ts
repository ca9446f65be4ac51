/**
 * SQL of conversation intake. Every write is an insert that lets the database decide what is new
 * (primary keys plus ON CONFLICT), so retries and concurrent identical requests store and detect
 * each thing once. Rows are inserted in key order so that two transactions touching the same keys
 * always lock them in the same order and cannot deadlock.
 */
import { sql } from 'drizzle-orm';
import type { MessageDirection } from '@parley/contract';
import type { Tx } from '../../db/database.ts';
import { conversationChats, conversationMessages, detectedPhones } from '../../db/schema.ts';
import type { PhoneCandidate } from './plan-detections.ts';

export interface ChatKey {
  shopId: string;
  chatPhone: string;
}

export interface IncomingMessage {
  id: string;
  direction: MessageDirection;
  text: string;
  sentAt: Date;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The newest of a batch by `sent_at` (ties: the greatest id), what the chat row keeps as its latest. */
export function newestOf(messages: readonly IncomingMessage[]): IncomingMessage | undefined {
  let newest: IncomingMessage | undefined;
  for (const message of messages) {
    const time = message.sentAt.getTime();
    const best = newest?.sentAt.getTime() ?? -Infinity;
    if (newest === undefined || time > best || (time === best && message.id > newest.id)) newest = message;
  }
  return newest;
}

/**
 * Creates the chat, or updates its name and latest message when a new name or a newer message comes.
 * Either way the row stays locked until commit (PostgreSQL locks a conflicting row even when
 * `setWhere` skips the update), so intakes of one chat run one after the other. A batch's newest
 * message is compared whether or not it is new: one already stored is never newer than the row's.
 */
export async function upsertChat(
  tx: Tx,
  chat: ChatKey,
  chatName: string | null,
  newest: IncomingMessage | undefined,
  now: Date,
): Promise<void> {
  const newer = sql`(excluded.last_message_at, excluded.last_message_id) > (${conversationChats.lastMessageAt}, ${conversationChats.lastMessageId}) OR ${conversationChats.lastMessageAt} IS NULL`;
  await tx
    .insert(conversationChats)
    .values({
      ...chat,
      chatName,
      firstSeenAt: now,
      lastMessageAt: newest?.sentAt ?? null,
      lastMessageId: newest?.id ?? null,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [conversationChats.shopId, conversationChats.chatPhone],
      set: {
        chatName: sql`coalesce(excluded.chat_name, ${conversationChats.chatName})`,
        lastMessageAt: sql`CASE WHEN ${newer} THEN excluded.last_message_at ELSE ${conversationChats.lastMessageAt} END`,
        lastMessageId: sql`CASE WHEN ${newer} THEN excluded.last_message_id ELSE ${conversationChats.lastMessageId} END`,
        updatedAt: now,
      },
      setWhere: sql`(excluded.chat_name IS NOT NULL AND excluded.chat_name IS DISTINCT FROM ${conversationChats.chatName}) OR ${newer}`,
    });
}

/** Stores the messages this chat does not have yet; returns their ids. */
export async function insertNewMessages(
  tx: Tx,
  chat: ChatKey,
  messages: readonly IncomingMessage[],
  receivedAt: Date,
): Promise<Set<string>> {
  const rows = [...messages]
    .sort((a, b) => byKey(a.id, b.id))
    .map((message) => ({
      ...chat,
      messageId: message.id,
      direction: message.direction,
      text: message.text,
      sentAt: message.sentAt,
      receivedAt,
    }));
  const inserted = await tx
    .insert(conversationMessages)
    .values(rows)
    .onConflictDoNothing()
    .returning({ messageId: conversationMessages.messageId });
  return new Set(inserted.map((row) => row.messageId));
}

/** Records the candidates the shop has not detected before; returns their phones. */
export async function insertNewDetections(
  tx: Tx,
  chat: ChatKey,
  candidates: readonly PhoneCandidate[],
  detectedAt: Date,
): Promise<Set<string>> {
  const rows = [...candidates]
    .sort((a, b) => byKey(a.phone, b.phone))
    .map((candidate) => ({ ...chat, ...candidate, detectedAt }));
  const inserted = await tx
    .insert(detectedPhones)
    .values(rows)
    .onConflictDoNothing()
    .returning({ phone: detectedPhones.phone });
  return new Set(inserted.map((row) => row.phone));
}
