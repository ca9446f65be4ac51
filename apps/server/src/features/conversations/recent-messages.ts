import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
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
