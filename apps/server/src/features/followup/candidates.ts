/**
 * SQL that picks a run's conversations and the facts its pre-model checks need. Conversations are
 * found by their chat row's latest message (an index on shop and latest activity), so the cost of
 * picking them follows the number of chats active in the window, not the number of messages stored.
 */
import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/database.ts';
import { newestFirst } from '../../db/newest-first.ts';
import { conversationChats } from '../../db/schema.ts';
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

interface HistoryRow {
  chat_phone: string;
  opted_out: boolean;
  open: boolean;
  attempt_number: number | null;
  created_at: Date | string | null;
  last_message_at: Date | string | null;
  longest_ms: number | string | null;
}

const historyOf = (row: HistoryRow | undefined): ChatHistory => ({
  optedOut: row?.opted_out === true,
  open: row?.open === true,
  previous:
    row?.attempt_number == null || row.created_at === null || row.last_message_at === null
      ? null
      : {
          attemptNumber: row.attempt_number,
          createdAt: new Date(row.created_at),
          lastMessageAt: new Date(row.last_message_at),
        },
  longestQuietMs: row?.longest_ms == null ? null : Number(row.longest_ms),
});

/**
 * The histories of several chats of a shop in one statement: a run reads them for every conversation
 * it looks at, a batch at a time.
 */
export async function readChatHistories(
  db: Db,
  shopId: string,
  chatPhones: readonly string[],
): Promise<Map<string, ChatHistory>> {
  const rows = await queryRows<HistoryRow>(
    db,
    sql`SELECT chat.phone AS chat_phone, h.* FROM unnest(${sql.param([...chatPhones])}::text[]) AS chat(phone)
    CROSS JOIN LATERAL (
      WITH previous AS (
        SELECT attempt_number, created_at, last_message_at FROM followups
        WHERE shop_id = ${shopId} AND chat_phone = chat.phone AND became_due_at IS NOT NULL
        ORDER BY created_at DESC LIMIT 1
      )
      SELECT
        EXISTS (SELECT 1 FROM followup_opt_outs WHERE shop_id = ${shopId} AND phone = chat.phone) AS opted_out,
        EXISTS (
          SELECT 1 FROM followups
          WHERE shop_id = ${shopId} AND chat_phone = chat.phone AND status IN ('pending', 'due')
        ) AS open,
        p.attempt_number, p.created_at, p.last_message_at,
        (SELECT max(extract(epoch FROM gap) * 1000) FROM (
          SELECT m.sent_at - lag(m.sent_at) OVER (ORDER BY m.sent_at) AS gap FROM conversation_messages m
          WHERE m.shop_id = ${shopId} AND m.chat_phone = chat.phone AND m.sent_at >= p.last_message_at
        ) AS gaps) AS longest_ms
      FROM (SELECT 1) AS one LEFT JOIN previous AS p ON true
    ) AS h`,
  );
  const byChat = new Map(rows.map((row) => [row.chat_phone, row]));
  return new Map(chatPhones.map((phone) => [phone, historyOf(byChat.get(phone))]));
}

export async function readChatHistory(db: Db, shopId: string, chatPhone: string): Promise<ChatHistory> {
  return (await readChatHistories(db, shopId, [chatPhone])).get(chatPhone) as ChatHistory;
}
