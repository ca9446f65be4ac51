/**
 * SQL of the run log (`followup_analyses`): one row per conversation and latest message. Skips are
 * upserted (a later run finding the same latest message updates the row), a claim marks a row
 * `analysing` before the model is called, and an analysed row is never written again.
 */
import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { FollowupAnalysis, FollowupSkipReason } from '@parley/contract';
import type { Db } from '../../db/database.ts';
import { followupAnalyses } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import type { Candidate } from './candidates.ts';

export interface LogKey {
  shopId: string;
  runId: string;
  candidate: Candidate;
}

const rowOf = (key: LogKey, now: Date) => ({
  id: newId('fua'),
  shopId: key.shopId,
  runId: key.runId,
  chatPhone: key.candidate.chatPhone,
  lastMessageId: key.candidate.lastMessageId,
  lastMessageAt: key.candidate.lastMessageAt,
  createdAt: now,
  updatedAt: now,
});

const sameConversation = [
  followupAnalyses.shopId,
  followupAnalyses.chatPhone,
  followupAnalyses.lastMessageId,
];

export interface Skip {
  reason: FollowupSkipReason;
  detail: string;
}

/** Rows per statement when a run records the rest of its conversations at once. */
const SKIPS_PER_STATEMENT = 1_000;

/**
 * Records one skip for each of `keys` (a run's conversations), decided before any model call; an
 * analysed row for the same message stays as it is. A run that reaches its cap or stops records all
 * the conversations it leaves in a few statements, not one each.
 */
export async function recordSkips(db: Db, keys: readonly LogKey[], skip: Skip, now: Date): Promise<void> {
  for (let start = 0; start < keys.length; start += SKIPS_PER_STATEMENT) {
    const chunk = keys.slice(start, start + SKIPS_PER_STATEMENT);
    const fields = {
      claimId: null,
      state: 'skipped' as const,
      action: 'skipped' as const,
      skipReason: skip.reason,
      detail: skip.detail,
      credits: 0,
      updatedAt: now,
    };
    await db
      .insert(followupAnalyses)
      .values(chunk.map((key) => ({ ...rowOf(key, now), ...fields })))
      .onConflictDoUpdate({
        target: sameConversation,
        set: { ...fields, runId: sql`excluded.run_id` },
        setWhere: ne(followupAnalyses.state, 'analysed'),
      });
  }
}

export const recordSkip = (db: Db, key: LogKey, skip: Skip, now: Date) => recordSkips(db, [key], skip, now);

/** A claimed analysis: the row, and the claim that fences every write for it. */
export interface AnalysisClaim {
  analysisId: string;
  claimId: string;
}

/**
 * Claims the conversations for analysis, in one statement committed before the model is called;
 * the result holds those claimed, by chat phone, and lacks those analysed meanwhile (another run,
 * another process). The same run may take its own claims again: that is a run resumed after its
 * process died (or lost its lease) mid-analysis. One claim id fences every write of this holder.
 */
export async function claimAnalyses(
  db: Db,
  keys: readonly LogKey[],
  now: Date,
): Promise<Map<string, AnalysisClaim>> {
  const [first] = keys;
  if (first === undefined) return new Map();
  const claimId = newId('clm');
  const claimed = await db
    .insert(followupAnalyses)
    .values(
      keys.map((key) => ({
        ...rowOf(key, now),
        state: 'analysing' as const,
        claimId,
        action: 'skipped' as const,
      })),
    )
    .onConflictDoUpdate({
      target: sameConversation,
      set: {
        runId: first.runId,
        state: 'analysing',
        claimId,
        skipReason: null,
        detail: null,
        updatedAt: now,
      },
      setWhere: or(
        eq(followupAnalyses.state, 'skipped'),
        and(eq(followupAnalyses.state, 'analysing'), eq(followupAnalyses.runId, first.runId)),
      ),
    })
    .returning({ id: followupAnalyses.id, chatPhone: followupAnalyses.chatPhone });
  return new Map(claimed.map((row) => [row.chatPhone, { analysisId: row.id, claimId }]));
}

/** The claim is still this one's: a resumed run has not taken it over. */
export const claimHeld = (claim: AnalysisClaim) =>
  and(eq(followupAnalyses.id, claim.analysisId), eq(followupAnalyses.claimId, claim.claimId));

/** The model's answer, kept with every analysed row whatever was decided. */
export const analysisColumns = (analysis: FollowupAnalysis) => ({
  analysis,
  intentLevel: analysis.intent_level,
  outcome: analysis.outcome,
  productMentioned: analysis.product_mentioned,
});

/**
 * How many conversations this run has analysed: the run's cap counts them. Those it had claimed but
 * not analysed when its process died are not counted: the resumed run claims (and counts) them again.
 */
export async function countAnalysedInRun(db: Db, runId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(followupAnalyses)
    .where(and(eq(followupAnalyses.runId, runId), eq(followupAnalyses.state, 'analysed')));
  return row?.count ?? 0;
}
