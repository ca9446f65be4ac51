/**
 * What an admin asks for now: `trigger_smart_followup` starts a run (of every conversation in the
 * lookback window, or of one), and `preview_smart_followup` shows what a run would make of one
 * conversation, charging its analysis and changing nothing else.
 */
import { eq } from 'drizzle-orm';
import type { SmartFollowupSettings } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { conversationChats } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { gatherCustomerContext, resolveModelTarget } from '../assistant/index.ts';
import { conversationHash, conversationHashKey } from '../conversations/index.ts';
import { reserveCredits, settleCharge } from '../credits/index.ts';
import { getShop } from '../shops/index.ts';
import type { LlmTarget, Usage } from '../../lib/llm/index.ts';
import { analyseConversation, type AnalysedMessage } from './analysis.ts';
import { readChatHistory } from './candidates.ts';
import { skipAfterAnalysis } from './decision.ts';
import { checkEligibility, type Eligibility } from './eligibility.ts';
import { checkPurchase, presentOrder } from './purchase-check.ts';
import { conversationOf, SMART_FOLLOWUP_FEATURE } from './run.ts';
import { runningRun, startRun, type RunRow } from './runs-store.ts';
import { manualWindow } from './schedule.ts';
import { readFollowupSettings } from './settings.ts';

/** The chat a `conversation_hash` (as `phone.detected` and `followup.*` events carry it) stands for. */
async function findChatByHash(deps: Pick<AppDeps, 'db' | 'signingKey'>, shopId: string, hash: string) {
  const key = conversationHashKey(deps.signingKey);
  const chats = await deps.db
    .select({
      chatPhone: conversationChats.chatPhone,
      lastMessageId: conversationChats.lastMessageId,
      lastMessageAt: conversationChats.lastMessageAt,
    })
    .from(conversationChats)
    .where(eq(conversationChats.shopId, shopId));
  const chat = chats.find((candidate) => conversationHash(key, shopId, candidate.chatPhone) === hash);
  if (chat === undefined || chat.lastMessageAt === null || chat.lastMessageId === null) {
    throw notFound(
      `No conversation of this shop has conversation_hash ${hash}: take it from a phone.detected or followup.* event, or from get_smart_followup_logs.`,
    );
  }
  return { chatPhone: chat.chatPhone, lastMessageId: chat.lastMessageId, lastMessageAt: chat.lastMessageAt };
}

const runInProgress = (run: RunRow) =>
  new AppError(
    'CONFLICT',
    `A Smart Follow-up run is already in progress for this shop (${run.id}, ${run.trigger}, started ${run.startedAt.toISOString()}); ` +
      'one runs at a time. Wait for it to finish (get_smart_followup_config shows the last run) and trigger again.',
    409,
    { run_id: run.id },
  );

type Deps = Pick<AppDeps, 'db' | 'secrets' | 'config' | 'clock' | 'signingKey'>;

/** What a trigger would start; refuses, naming the reason, when it cannot start now. */
export async function planTrigger(deps: Deps, shopId: string, conversationHashArg: string | undefined) {
  await resolveModelTarget(deps, shopId);
  const running = await runningRun(deps.db, shopId);
  if (running !== undefined) throw runInProgress(running);
  const { settings } = await readFollowupSettings(deps.db, shopId);
  const chat =
    conversationHashArg === undefined ? null : await findChatByHash(deps, shopId, conversationHashArg);
  return { settings, chat, window: manualWindow(settings, deps.clock.now()) };
}

/** Starts the run a trigger planned; refused when another started meanwhile. */
export async function triggerRun(deps: Deps, shopId: string, plan: Awaited<ReturnType<typeof planTrigger>>) {
  const now = deps.clock.now();
  const started = await deps.db.transaction((tx) =>
    startRun(
      tx,
      { shopId, trigger: 'manual', chatPhone: plan.chat?.chatPhone ?? null, window: plan.window },
      now,
    ),
  );
  if (!started.created) throw runInProgress(started.run);
  return {
    started: true,
    run_id: started.run.id,
    window_from: plan.window.from.toISOString(),
    window_to: plan.window.to.toISOString(),
    conversation: plan.chat?.chatPhone ?? null,
    max_conversations: plan.settings.max_conversations,
    note: 'The run works in the background; get_smart_followup_logs shows each conversation as it is done, get_smart_followup_config the run.',
  };
}

/** One conversation analysed as a run would, with what the run would then do; only the credits are spent. */
export async function previewFollowup(deps: AppDeps, shopId: string, hash: string) {
  const [shop, { settings }, chat, target] = await Promise.all([
    getShop(deps.db, shopId),
    readFollowupSettings(deps.db, shopId),
    findChatByHash(deps, shopId, hash),
    resolveModelTarget(deps, shopId),
  ]);
  const [messages, history] = await Promise.all([
    conversationOf(deps, shopId, chat),
    readChatHistory(deps.db, shopId, chat.chatPhone),
  ]);
  const eligibility = checkEligibility({
    settings,
    chatPhone: chat.chatPhone,
    history,
    hasCustomerMessage: messages.some((message) => message.direction === 'in'),
    now: deps.clock.now(),
  });
  const reservation = await reserveCredits(deps, { id: shop.id, timezone: shop.timezone });
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const outcome = await judgeForPreview(deps, {
    shop,
    settings,
    target,
    chat,
    messages,
    eligibility,
    usage,
  }).then(
    (report) => ({ report }),
    (error: unknown) => ({ error }),
  );
  // Charged whatever happened: the model worked for it.
  const settled = await settleCharge(deps, reservation, {
    feature: SMART_FOLLOWUP_FEATURE,
    reference: newId('fpv'),
    usage,
  });
  if ('error' in outcome) throw outcome.error;
  return { ...outcome.report, credits_charged: settled.charged };
}

interface PreviewInput {
  shop: { id: string; name: string; locale: string };
  settings: SmartFollowupSettings;
  target: LlmTarget;
  chat: { chatPhone: string; lastMessageAt: Date };
  messages: AnalysedMessage[];
  eligibility: Eligibility;
  /** Filled with what the model used, so the caller can charge it. */
  usage: Usage;
}

async function judgeForPreview(deps: AppDeps, input: PreviewInput) {
  const { shop, settings, chat, messages, eligibility } = input;
  const context = await gatherCustomerContext(deps, shop.id, chat.chatPhone);
  const result = await analyseConversation({
    llm: deps.llm,
    target: input.target,
    shop,
    settings,
    messages,
    customer: context.data,
    now: deps.clock.now(),
  });
  Object.assign(input.usage, result.usage);
  if (!result.ok) throw new AppError('AI_PROVIDER_ERROR', `${result.reason}: ${result.message}`, 502);
  const skip = skipAfterAnalysis(settings, result.analysis);
  const purchase =
    skip === null && eligibility.eligible
      ? await checkPurchase(deps, shop.id, chat.chatPhone, messages[0]?.sentAt ?? chat.lastMessageAt)
      : null;
  const verdict = !eligibility.eligible
    ? { would_follow_up: false, skip_reason: eligibility.reason, detail: eligibility.detail }
    : skip !== null
      ? { would_follow_up: false, skip_reason: skip.reason, detail: skip.detail }
      : purchase?.kind === 'purchased'
        ? { would_follow_up: false, skip_reason: 'crm_order_found', order: presentOrder(purchase.order) }
        : purchase?.kind === 'unknown'
          ? { would_follow_up: false, skip_reason: 'crm_unavailable', detail: purchase.message }
          : { would_follow_up: true, attempt_number: eligibility.attemptNumber };
  return {
    phone: chat.chatPhone,
    messages_analysed: messages.length,
    analysis: result.analysis,
    ...verdict,
    context_sources: context.sources,
  };
}
