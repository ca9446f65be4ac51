/**
 * One Smart Follow-up run (docs/smart-followup.md): the run's conversations, newest activity first;
 * for each, the checks that need no model (skips recorded with their reason), a credit reservation,
 * one analysis, Parley's decision on it, the purchase check, and the follow-up. A run resumed after
 * its process died picks up from the log: analysed conversations are never analysed again, and a
 * conversation has at most one follow-up per analysis (a unique index).
 */
import type { SQL } from 'drizzle-orm';
import type { FollowupSkipReason, SmartFollowupSettings } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { isAppError } from '../../lib/errors.ts';
import type { LlmTarget } from '../../lib/llm/index.ts';
import { gatherCustomerContext, resolveModelTarget } from '../assistant/index.ts';
import { listRecentMessages, listRecentMessagesOfChats } from '../conversations/index.ts';
import { reserveCredits, settleCharge, type BalanceRow, type CreditReservation } from '../credits/index.ts';
import { linkedPhonesOfChats } from '../panel/index.ts';
import { getShop } from '../shops/index.ts';
import { analyseConversation, type AnalysedMessage, type AnalysisResult } from './analysis.ts';
import {
  claimAnalyses,
  type AnalysisClaim,
  countAnalysedInRun,
  recordSkip,
  recordSkips,
  type LogKey,
  type Skip,
} from './analyses-store.ts';
import { readChatHistories, selectCandidates, type Candidate, type ChatHistory } from './candidates.ts';
import { skipAfterAnalysis } from './decision.ts';
import { checkEligibility } from './eligibility.ts';
import { checkPurchase } from './purchase-check.ts';
import { finishRun, renewRunLease, RUN_LEASE_MS, type RunRow } from './runs-store.ts';
import { afterOutcome, outcomeWrites, type Decision } from './outcome-writes.ts';
import { followupDueAt } from './schedule.ts';
import { readFollowupSettings } from './settings.ts';

/** The ledger's name for what analyses spend. */
export const SMART_FOLLOWUP_FEATURE = 'smart_followup';
/** The conversation an analysis reads: the latest messages, from the week before the latest one. */
const CONVERSATION_MESSAGES = 40;
const CONVERSATION_DAYS_MS = 7 * 24 * 3_600_000;
/** A model failing this many times in a row stops the run rather than failing every conversation. */
const MAX_MODEL_FAILURES_IN_A_ROW = 3;

interface RunState {
  deps: AppDeps;
  run: RunRow;
  shop: { id: string; name: string; locale: string; timezone: string };
  settings: SmartFollowupSettings;
  target: LlmTarget | null;
  analysed: number;
  modelFailuresInARow: number;
  /** Set once the run cannot go on: every conversation left is recorded with this. */
  stop: { reason: FollowupSkipReason; detail: string } | null;
  leaseRenewedAt: number;
  /** Credits the last analysis kept holding for the next one; given back when the run ends. */
  heldCredits: CreditReservation | undefined;
  /** The shop's credit balance as the run's last charge left it. */
  lastBalance: BalanceRow | undefined;
}

/** Conversations a run reads at once: their messages, histories and links, in three statements. */
const READ_BATCH = 25;

/** The messages of a conversation an analysis reads: the latest ones, from the week before the latest. */
const withinWindow = (messages: readonly AnalysedMessage[], lastMessageAt: Date) =>
  messages.filter((message) => message.sentAt.getTime() >= lastMessageAt.getTime() - CONVERSATION_DAYS_MS);

/** The conversation an analysis reads, oldest first. */
export async function conversationOf(
  deps: Pick<AppDeps, 'db'>,
  shopId: string,
  candidate: Pick<Candidate, 'chatPhone' | 'lastMessageAt'>,
): Promise<AnalysedMessage[]> {
  const messages = await listRecentMessages(deps.db, shopId, candidate.chatPhone, CONVERSATION_MESSAGES);
  return withinWindow(messages, candidate.lastMessageAt);
}

interface CandidateReading {
  messages: AnalysedMessage[];
  history: ChatHistory;
  /** The chat's linked phones, sent to the CRM as `relatedphones`. */
  relatedPhones: string[];
}

async function readBatch(
  state: RunState,
  batch: readonly Candidate[],
): Promise<Map<string, CandidateReading>> {
  const phones = batch.map((candidate) => candidate.chatPhone);
  const [conversations, histories, linked] = await Promise.all([
    listRecentMessagesOfChats(state.deps.db, state.shop.id, phones, CONVERSATION_MESSAGES),
    readChatHistories(state.deps.db, state.shop.id, phones),
    linkedPhonesOfChats(state.deps, state.shop.id, phones),
  ]);
  return new Map(
    batch.map((candidate) => [
      candidate.chatPhone,
      {
        messages: withinWindow(conversations.get(candidate.chatPhone) ?? [], candidate.lastMessageAt),
        history: histories.get(candidate.chatPhone) as ChatHistory,
        relatedPhones: linked.get(candidate.chatPhone) as string[],
      },
    ]),
  );
}

export async function executeRun(deps: AppDeps, run: RunRow, signal: AbortSignal): Promise<void> {
  const shop = await getShop(deps.db, run.shopId);
  const { settings } = await readFollowupSettings(deps.db, run.shopId);
  const state: RunState = {
    deps,
    run,
    shop,
    settings,
    target: null,
    analysed: await countAnalysedInRun(deps.db, run.id),
    modelFailuresInARow: 0,
    stop: null,
    leaseRenewedAt: deps.clock.now().getTime(),
    heldCredits: undefined,
    lastBalance: undefined,
  };
  try {
    state.target = await resolveModelTarget(deps, run.shopId);
  } catch (error) {
    if (!isAppError(error)) throw error;
    state.stop = { reason: 'model_unavailable', detail: error.message };
  }
  try {
    await workThrough(state, await selectCandidates(deps.db, run), signal);
  } finally {
    if (state.heldCredits !== undefined) {
      const noUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
      await settleCharge(
        deps,
        state.heldCredits,
        { feature: SMART_FOLLOWUP_FEATURE, reference: run.id, usage: noUsage },
        lastBalanceOf(state),
      );
    }
  }
}

async function workThrough(state: RunState, candidates: Candidate[], signal: AbortSignal): Promise<void> {
  const { deps, run } = state;
  const keys = candidates.map((candidate) => ({ shopId: run.shopId, runId: run.id, candidate }));
  for (let index = 0; index < keys.length; index += READ_BATCH) {
    // At shutdown the lease is left to run out: the restart (or another process) resumes the run.
    if (signal.aborted || !(await keepLease(state))) return;
    const rest =
      state.stop ?? (state.analysed >= state.settings.max_conversations ? capReached(state) : null);
    if (rest !== null) {
      await recordSkips(deps.db, keys.slice(index), rest, deps.clock.now());
      break;
    }
    const claimed = await claimBatch(state, keys.slice(index, index + READ_BATCH));
    for (const [position, conversation] of claimed.entries()) {
      if (signal.aborted || !(await keepLease(state))) return;
      if (state.stop !== null) {
        const left = claimed.slice(position).map((other) => other.key);
        await recordSkips(deps.db, left, state.stop, deps.clock.now());
        break;
      }
      await analyseAndDecide(state, conversation);
    }
  }
  await finishRun(
    deps.db,
    run,
    state.stop === null
      ? { status: 'completed', stopReason: null }
      : { status: 'stopped', stopReason: `${state.stop.reason}: ${state.stop.detail}` },
    deps.clock.now(),
  );
}

/**
 * Renews the run's lease when a fifth of it has passed; false when the run was taken over. Called
 * before each step that may take long (CRM calls, the model), so a live run keeps its lease.
 */
async function keepLease(state: RunState): Promise<boolean> {
  const now = state.deps.clock.now();
  if (now.getTime() - state.leaseRenewedAt < RUN_LEASE_MS / 5) return true;
  state.leaseRenewedAt = now.getTime();
  return renewRunLease(state.deps.db, state.run, now);
}

const capReached = ({ settings }: RunState) => ({
  reason: 'run_cap_reached' as const,
  detail: `This run analysed ${settings.max_conversations} conversations (max_conversations).`,
});

/** A conversation claimed for analysis, with what the analysis reads. */
interface Claimed {
  key: LogKey;
  claim: AnalysisClaim;
  messages: AnalysedMessage[];
  relatedPhones: string[];
  attemptNumber: number;
}

/**
 * A batch of the run's conversations up to their claims: their reads, the checks that need no model
 * (each skip recorded with its reason), then one claim for the eligible ones the cap leaves room for.
 */
async function claimBatch(state: RunState, batch: readonly LogKey[]): Promise<Claimed[]> {
  const { deps, settings } = state;
  const now = deps.clock.now();
  const readings = await readBatch(
    state,
    batch.map((key) => key.candidate),
  );
  const skips = new Map<string, { skip: Skip; keys: LogKey[] }>();
  const eligible: Array<Omit<Claimed, 'claim'>> = [];
  for (const key of batch) {
    const { messages, history, relatedPhones } = readings.get(key.candidate.chatPhone) as CandidateReading;
    const eligibility = checkEligibility({
      settings,
      chatPhone: key.candidate.chatPhone,
      history,
      hasCustomerMessage: messages.some((message) => message.direction === 'in'),
      now,
    });
    if (eligibility.eligible && state.analysed + eligible.length < settings.max_conversations) {
      eligible.push({ key, messages, relatedPhones, attemptNumber: eligibility.attemptNumber });
      continue;
    }
    const skip = eligibility.eligible ? capReached(state) : eligibility;
    const same = `${skip.reason}\n${skip.detail}`;
    const group = skips.get(same) ?? { skip: { reason: skip.reason, detail: skip.detail }, keys: [] };
    group.keys.push(key);
    skips.set(same, group);
  }
  for (const { skip, keys } of skips.values()) await recordSkips(deps.db, keys, skip, now);
  const claims = await claimAnalyses(
    deps.db,
    eligible.map((conversation) => conversation.key),
    now,
  );
  const claimed = eligible.flatMap((conversation) => {
    const claim = claims.get(conversation.key.candidate.chatPhone);
    return claim === undefined ? [] : [{ ...conversation, claim }];
  });
  state.analysed += claimed.length;
  return claimed;
}

async function analyseAndDecide(state: RunState, claimed: Claimed): Promise<void> {
  const { deps, shop, settings } = state;
  const { key, claim, messages } = claimed;
  const { analysisId } = claim;
  const phone = key.candidate.chatPhone;
  const context = await gatherCustomerContext(deps, shop.id, phone, claimed.relatedPhones);
  if (!(await keepLease(state))) return;
  // The hold the previous analysis kept for this one, else a reservation of its own.
  let reservation = state.heldCredits;
  state.heldCredits = undefined;
  try {
    reservation ??= await reserveCredits(deps, { id: shop.id, timezone: shop.timezone });
  } catch (error) {
    if (!isAppError(error)) throw error;
    state.analysed--;
    const skip = { reason: 'no_credits' as const, detail: error.message };
    if (error.code === 'NO_CREDITS') state.stop = { ...skip, detail: 'The shop has no credits left.' };
    return recordSkip(deps.db, key, skip, deps.clock.now());
  }
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  try {
    const result = await analyseConversation({
      llm: deps.llm,
      target: state.target as LlmTarget,
      shop,
      settings,
      messages,
      customer: context.data,
      now: deps.clock.now(),
    });
    Object.assign(usage, result.usage);
    const decision = await decide(state, key, messages, result);
    const now = deps.clock.now();
    const conversation =
      decision === null
        ? null
        : {
            key,
            claim,
            attemptNumber: claimed.attemptNumber,
            decision,
            settings,
            dueAt: followupDueAt(settings, shop.timezone, key.candidate.lastMessageAt, now),
            now,
          };
    // The charge and what it paid for (the log, the follow-up) commit together.
    const settled = await settleCharge(
      deps,
      reservation,
      { feature: SMART_FOLLOWUP_FEATURE, reference: analysisId, usage },
      {
        holdAgain: true,
        ...lastBalanceOf(state),
        ...(conversation === null
          ? {}
          : {
              alongside: ({ charged }: { charged: number }, applies: SQL) =>
                outcomeWrites(deps, conversation, charged, applies),
            }),
      },
    );
    reservation = undefined;
    state.heldCredits = settled.heldAgain ?? undefined;
    state.lastBalance = settled.balance;
    if (conversation !== null) await afterOutcome(deps, conversation, settled.written);
  } finally {
    // A failure on the way still pays for what the model did.
    if (reservation !== undefined) {
      const settled = await settleCharge(
        deps,
        reservation,
        { feature: SMART_FOLLOWUP_FEATURE, reference: analysisId, usage },
        lastBalanceOf(state),
      );
      state.lastBalance = settled.balance;
    }
  }
}

/** The balance the run's previous charge left, so the next one can skip the lock (credits/reservations.ts). */
const lastBalanceOf = (state: RunState) =>
  state.lastBalance === undefined ? {} : { lastBalance: state.lastBalance };

async function decide(
  state: RunState,
  key: LogKey,
  messages: readonly AnalysedMessage[],
  result: AnalysisResult,
): Promise<Decision | null> {
  if (!result.ok) {
    noteModelFailure(state, result.reason === 'model_unavailable' ? result.message : null);
    const modelAnswered = result.reason === 'model_output_invalid';
    return { kind: 'skip', reason: result.reason, detail: result.message, analysis: null, modelAnswered };
  }
  noteModelFailure(state, null);
  const { analysis } = result;
  const skip = skipAfterAnalysis(state.settings, analysis);
  if (skip !== null) return { kind: 'skip', ...skip, analysis, modelAnswered: true };
  if (!(await keepLease(state))) return null;
  const since = messages[0]?.sentAt ?? key.candidate.lastMessageAt;
  const purchase = await checkPurchase(state.deps, state.shop.id, key.candidate.chatPhone, since);
  if (purchase.kind === 'none') return { kind: 'followup', analysis, since };
  return purchase.kind === 'purchased'
    ? {
        kind: 'skip',
        reason: 'crm_order_found',
        detail: 'The CRM has an order since the conversation.',
        analysis,
        modelAnswered: true,
      }
    : { kind: 'skip', reason: 'crm_unavailable', detail: purchase.message, analysis, modelAnswered: true };
}

function noteModelFailure(state: RunState, message: string | null): void {
  if (message === null) {
    state.modelFailuresInARow = 0;
    return;
  }
  state.modelFailuresInARow++;
  if (state.modelFailuresInARow >= MAX_MODEL_FAILURES_IN_A_ROW) {
    state.stop = {
      reason: 'model_unavailable',
      detail: `Not analysed: the model failed ${MAX_MODEL_FAILURES_IN_A_ROW} times in a row in this run (${message}).`,
    };
  }
}
