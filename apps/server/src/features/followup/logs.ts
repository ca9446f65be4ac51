/**
 * `get_smart_followup_logs`: what runs did with each conversation, newest first, 20 a page, with the
 * skip reason or the follow-up's state.
 */
import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { FollowupLogsInput } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { followupAnalyses, followups } from '../../db/schema.ts';
import { newestFirst } from '../../db/newest-first.ts';
import { conversationHash, conversationHashKey } from '../conversations/index.ts';
import { getShop } from '../shops/index.ts';
import { presentPeriod, resolvePeriod, type Period } from './period.ts';

const LOGS_PAGE_SIZE = 20;

/** Rows of a shop whose time column falls in the period. */
export function inPeriod(
  column: typeof followupAnalyses.updatedAt | typeof followups.createdAt,
  period: Period,
) {
  return and(
    period.from === null ? undefined : gte(column, period.from),
    period.until === null ? undefined : lt(column, period.until),
  );
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export async function getSmartFollowupLogs(
  deps: Pick<AppDeps, 'db' | 'clock' | 'signingKey'>,
  shopId: string,
  input: FollowupLogsInput,
) {
  const shop = await getShop(deps.db, shopId);
  const period = resolvePeriod(input, shop.timezone, deps.clock.now());
  const a = followupAnalyses;
  const conditions: Array<SQL | undefined> = [
    eq(a.shopId, shopId),
    inPeriod(a.updatedAt, period),
    input.intent_level === undefined ? undefined : eq(a.intentLevel, input.intent_level),
    input.action_taken === undefined ? undefined : eq(a.action, input.action_taken),
    input.outcome === undefined ? undefined : eq(a.outcome, input.outcome),
  ];
  if (input.search !== undefined) {
    const pattern = `%${escapeLike(input.search)}%`;
    conditions.push(or(ilike(a.chatPhone, pattern), ilike(a.productMentioned, pattern)));
  }
  const rows = await deps.db
    .select({
      analysis: a,
      followup: {
        id: followups.id,
        status: followups.status,
        cancelReason: followups.cancelReason,
        attemptNumber: followups.attemptNumber,
        dueAt: followups.dueAt,
        repliedAt: followups.repliedAt,
        convertedAt: followups.convertedAt,
      },
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(a)
    .leftJoin(followups, eq(followups.analysisId, a.id))
    .where(and(...conditions))
    .orderBy(newestFirst(a.updatedAt), desc(a.id))
    .limit(LOGS_PAGE_SIZE)
    .offset((input.page - 1) * LOGS_PAGE_SIZE);
  const key = conversationHashKey(deps.signingKey);
  const total = rows[0]?.total ?? 0;
  return {
    ...presentPeriod(input, period),
    page: input.page,
    page_size: LOGS_PAGE_SIZE,
    total,
    pages: Math.ceil(total / LOGS_PAGE_SIZE),
    entries: rows.map(({ analysis: row, followup }) => ({
      id: row.id,
      run_id: row.runId,
      phone: row.chatPhone,
      conversation_hash: conversationHash(key, shopId, row.chatPhone),
      state: row.state,
      action_taken: row.action,
      skip_reason: row.skipReason,
      intent_level: row.intentLevel,
      outcome: row.outcome,
      product_mentioned: row.productMentioned,
      customer_objection: row.analysis?.customer_objection ?? null,
      sentiment: row.analysis?.sentiment ?? null,
      suggested_message: row.analysis?.suggested_message ?? null,
      detail: row.detail,
      credits: row.credits,
      last_message_at: row.lastMessageAt.toISOString(),
      at: row.updatedAt.toISOString(),
      followup:
        followup === null
          ? null
          : {
              id: followup.id,
              status: followup.status,
              cancel_reason: followup.cancelReason,
              attempt_number: followup.attemptNumber,
              due_at: followup.dueAt.toISOString(),
              replied_at: followup.repliedAt?.toISOString() ?? null,
              converted_at: followup.convertedAt?.toISOString() ?? null,
            },
    })),
  };
}
