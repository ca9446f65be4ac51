/**
 * SQL that picks a run's conversations and the facts its pre-model checks need. Conversations are
 * found by their chat row's latest message (an index on shop and latest activity), so the cost of
 * picking them follows the number of chats active in the window, not the number of messages stored.
 */
import { and, desc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/database.ts';
import { newestFirst } from '../../db/newest-first.ts';
import { conversationChats, followupOptOuts, followups } from '../../db/schema.ts';
import type { RunRow } from './runs-store.ts';

export interface Candidate {
  chatPhone: string;
  chatName: string | null;
  lastMessageId: string;
  lastMessageAt: Date;
}

/**
 * The run's conversations, latest activity first: chats whose latest message falls in the run's
 * window (or the run's one chat), less those already analysed for that same latest message, and
 * less those this run already decided to skip (a resumed run does not do them again).
 */
export async function selectCandidates(db: Db, run: RunRow): Promise<Candidate[]> {
  const chats = conversationChats;
  const rows = await db
    .select({
      chatPhone: chats.chatPhone,
      chatName: chats.chatName,
      lastMessageId: chats.lastMessageId,
      lastMessageAt: chats.lastMessageAt,
    })
    .from(chats)
    .where(
      and(
        eq(chats.shopId, run.shopId),
        run.chatPhone === null
          ? and(gte(chats.lastMessageAt, run.windowFrom), lte(chats.lastMessageAt, run.windowTo))
          : eq(chats.chatPhone, run.chatPhone),
        sql`NOT EXISTS (
          SELECT 1 FROM followup_analyses a
          WHERE a.shop_id = ${chats.shopId} AND a.chat_phone = ${chats.chatPhone}
            AND a.last_message_id = ${chats.lastMessageId}
            AND (a.state = 'analysed' OR (a.run_id = ${run.id} AND a.state = 'skipped')))`,
      ),
    )
    .orderBy(newestFirst(chats.lastMessageAt));
  return rows.flatMap((row) =>
    row.lastMessageId === null || row.lastMessageAt === null
      ? []
      : [{ ...row, lastMessageId: row.lastMessageId, lastMessageAt: row.lastMessageAt }],
  );
}

export interface PreviousFollowup {
  attemptNumber: number;
  createdAt: Date;
  lastMessageAt: Date;
}

export interface ChatHistory {
  optedOut: boolean;
  /** A follow-up of the chat is pending or due: a new one would compete with it. */
  open: boolean;
  /**
   * The chat's latest attempt: its latest follow-up that became due (one cancelled or expired before
   * that reached nobody and counts for nothing).
   */
  previous: PreviousFollowup | null;
  /** The longest stretch without messages since the previous attempt's conversation, in ms. */
  longestQuietMs: number | null;
}

export async function readChatHistory(db: Db, shopId: string, chatPhone: string): Promise<ChatHistory> {
  const ofChat = and(eq(followups.shopId, shopId), eq(followups.chatPhone, chatPhone));
  const [optOut, open, previous] = await Promise.all([
    db
      .select({ phone: followupOptOuts.phone })
      .from(followupOptOuts)
      .where(and(eq(followupOptOuts.shopId, shopId), eq(followupOptOuts.phone, chatPhone))),
    db
      .select({ id: followups.id })
      .from(followups)
      .where(and(ofChat, inArray(followups.status, ['pending', 'due'])))
      .limit(1),
    db
      .select({
        attemptNumber: followups.attemptNumber,
        createdAt: followups.createdAt,
        lastMessageAt: followups.lastMessageAt,
      })
      .from(followups)
      .where(and(ofChat, isNotNull(followups.becameDueAt)))
      .orderBy(desc(followups.createdAt))
      .limit(1),
  ]);
  const [last] = previous;
  let longestQuietMs: number | null = null;
  if (last !== undefined) {
    const [gap] = await queryRows<{ longest_ms: number | string | null }>(
      db,
      sql`SELECT max(extract(epoch FROM gap) * 1000) AS longest_ms FROM (
        SELECT sent_at - lag(sent_at) OVER (ORDER BY sent_at) AS gap FROM conversation_messages
        WHERE shop_id = ${shopId} AND chat_phone = ${chatPhone} AND sent_at >= ${last.lastMessageAt.toISOString()}::timestamptz
      ) AS gaps`,
    );
    longestQuietMs = gap?.longest_ms == null ? null : Number(gap.longest_ms);
  }
  return { optedOut: optOut.length > 0, open: open.length > 0, previous: last ?? null, longestQuietMs };
}
