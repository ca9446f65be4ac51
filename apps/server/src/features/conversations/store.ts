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

/**
 * Creates the chat, or renames it when a new name is given. Either way the row stays locked until
 * commit (PostgreSQL locks a conflicting row even when `setWhere` skips the update), so intakes of
 * one chat run one after the other.
 */
export async function upsertChat(tx: Tx, chat: ChatKey, chatName: string | null, now: Date): Promise<void> {
  await tx
    .insert(conversationChats)
    .values({ ...chat, chatName, firstSeenAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [conversationChats.shopId, conversationChats.chatPhone],
      set: { chatName: sql`excluded.chat_name`, updatedAt: now },
      setWhere: sql`excluded.chat_name IS NOT NULL AND excluded.chat_name IS DISTINCT FROM ${conversationChats.chatName}`,
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
