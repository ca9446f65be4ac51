import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/database.ts';
import { newestFirst } from '../../db/newest-first.ts';
import { conversationMessages } from '../../db/schema.ts';

export interface StoredMessage {
  id: string;
  direction: 'in' | 'out';
  text: string;
  sentAt: Date;
}

/** The latest `limit` messages of a chat, oldest first: the conversation the AI assistant reads. */
export async function listRecentMessages(
  db: Db,
  shopId: string,
  chatPhone: string,
  limit = 30,
): Promise<StoredMessage[]> {
  const rows = await db
    .select({
      id: conversationMessages.messageId,
      direction: conversationMessages.direction,
      text: conversationMessages.text,
      sentAt: conversationMessages.sentAt,
    })
    .from(conversationMessages)
    .where(and(eq(conversationMessages.shopId, shopId), eq(conversationMessages.chatPhone, chatPhone)))
    .orderBy(newestFirst(conversationMessages.sentAt))
    .limit(limit);
  return rows.reverse();
}

/**
 * The latest `limit` messages of each of several chats of a shop, oldest first, in one statement: what a
 * Smart Follow-up run reads for a batch of conversations.
 */
export async function listRecentMessagesOfChats(
  db: Db,
  shopId: string,
  chatPhones: readonly string[],
  limit: number,
): Promise<Map<string, StoredMessage[]>> {
  const rows = await queryRows<{
    chat_phone: string;
    message_id: string;
    direction: 'in' | 'out';
    text: string;
    sent_at: Date | string;
  }>(
    db,
    sql`SELECT chat.phone AS chat_phone, m.message_id, m.direction, m.text, m.sent_at
    FROM unnest(${sql.param([...chatPhones])}::text[]) AS chat(phone)
    CROSS JOIN LATERAL (
      SELECT message_id, direction, text, sent_at FROM conversation_messages
      WHERE shop_id = ${shopId} AND chat_phone = chat.phone
      ORDER BY sent_at DESC NULLS LAST LIMIT ${limit}
    ) AS m`,
  );
  const byChat = new Map<string, StoredMessage[]>(chatPhones.map((phone) => [phone, []]));
  for (const row of rows) {
    byChat.get(row.chat_phone)?.push({
      id: row.message_id,
      direction: row.direction,
      text: row.text,
      sentAt: new Date(row.sent_at),
    });
  }
  for (const messages of byChat.values()) messages.reverse();
  return byChat;
}
