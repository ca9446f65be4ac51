/**
 * What an analysed conversation writes: its log row, and its follow-up or the customer's opt-out. They
 * are the parts of the statement that charges the analysis (`AlongsideWrites` in
 * credits/reservations.ts), so the charge and what it paid for commit together in one round trip.
 * Every part writes only while the run still holds its claim on the conversation.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { FollowupAnalysis, FollowupSkipReason, SmartFollowupSettings } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { followupAnalyses, followupOptOuts, followups } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { notifyWorkers } from '../../db/wake.ts';
import { analysisColumns, claimHeld, type AnalysisClaim, type LogKey } from './analyses-store.ts';

/** What becomes of an analysed conversation. */
export type Decision =
  | {
      kind: 'skip';
      reason: FollowupSkipReason;
      detail: string;
      analysis: FollowupAnalysis | null;
      modelAnswered: boolean;
    }
  | { kind: 'followup'; analysis: FollowupAnalysis; since: Date };

export interface AnalysedConversation {
  key: LogKey;
  claim: AnalysisClaim;
  attemptNumber: number;
  decision: Decision;
  settings: SmartFollowupSettings;
  /** When the follow-up falls due (delay and sending window applied). */
  dueAt: Date;
  now: Date;
}

/**
 * The writes, named for the counts the statement returns: `analysed` (the log row, 0 when the claim
 * was taken over), then `created` (the follow-up, 0 when another one of the chat is open) or
 * `opted_out`. `applies` is the charge's condition. Parameters in a SELECT list have no type of their
 * own, hence the casts.
 */
export function outcomeWrites(
  deps: Pick<AppDeps, 'db'>,
  conversation: AnalysedConversation,
  credits: number,
  applies: SQL,
): Array<[name: string, statement: SQL]> {
  const { key, claim, decision, settings, now } = conversation;
  const { analysis } = decision;
  const analysed = deps.db
    .update(followupAnalyses)
    .set({
      claimId: null,
      credits,
      ...(analysis === null ? {} : analysisColumns(analysis)),
      updatedAt: now,
      ...(decision.kind === 'followup'
        ? {
            state: 'analysed',
            action: settings.agent_queue ? 'drafted' : 'logged_only',
            skipReason: null,
            detail: decision.analysis.reason,
          }
        : {
            // A model that could not be reached leaves the row skipped, so a later run tries again.
            state: decision.modelAnswered ? 'analysed' : 'skipped',
            action: 'skipped',
            skipReason: decision.reason,
            detail: decision.detail,
          }),
    })
    .where(and(claimHeld(claim), applies))
    .returning({ id: followupAnalyses.id });
  const writes: Array<[string, SQL]> = [['analysed', analysed.getSQL()]];
  if (decision.kind === 'followup') {
    writes.push(['created', followupInsert(conversation, decision.analysis, decision.since)]);
  } else if (decision.reason === 'opted_out' && analysis !== null) {
    // Every later run skips the phone.
    writes.push([
      'opted_out',
      sql`INSERT INTO ${followupOptOuts} (shop_id, phone, analysis_id, created_at)
        SELECT ${key.shopId}::text, ${key.candidate.chatPhone}::text, analysed.id, ${now.toISOString()}::timestamptz
        FROM analysed
        ON CONFLICT DO NOTHING
        RETURNING 1`,
    ]);
  }
  return writes;
}

function followupInsert(conversation: AnalysedConversation, analysis: FollowupAnalysis, since: Date): SQL {
  const { key, attemptNumber, settings, dueAt, now } = conversation;
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  return sql`INSERT INTO ${followups} (id, shop_id, analysis_id, chat_phone, attempt_number, status,
      intent_level, outcome, product_mentioned, customer_objection, suggested_message, agent_queue,
      conversation_from, last_message_at, due_at, next_check_at, created_at, updated_at)
    SELECT ${newId('fup')}::text, ${key.shopId}::text, analysed.id, ${key.candidate.chatPhone}::text,
      ${attemptNumber}::integer, 'pending', ${analysis.intent_level}::text, ${analysis.outcome}::text,
      ${analysis.product_mentioned}::text, ${analysis.customer_objection}::text,
      ${analysis.suggested_message}::text, ${settings.agent_queue}::boolean, ${at(since)},
      ${at(key.candidate.lastMessageAt)}, ${at(dueAt)}, ${at(dueAt)}, ${at(now)}, ${at(now)}
    FROM analysed
    -- Another follow-up of this conversation became open meanwhile (another run, another process).
    ON CONFLICT DO NOTHING
    RETURNING id`;
}

/** What follows the writes: the log says why no follow-up was made, and the worker hears of a due one. */
export async function afterOutcome(
  deps: Pick<AppDeps, 'db'>,
  conversation: AnalysedConversation,
  written: Record<string, number>,
): Promise<void> {
  if (conversation.decision.kind !== 'followup' || written.analysed === 0) return;
  if (written.created === 0) {
    await deps.db
      .update(followupAnalyses)
      .set({
        action: 'skipped',
        skipReason: 'followup_pending',
        detail: 'Another follow-up of this conversation is open.',
      })
      .where(eq(followupAnalyses.id, conversation.claim.analysisId));
    return;
  }
  if (conversation.dueAt <= conversation.now) await notifyWorkers(deps.db);
}
