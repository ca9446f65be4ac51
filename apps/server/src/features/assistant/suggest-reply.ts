/**
 * `POST /api/ai/suggest-reply` (issue 6): a draft reply for the agent, from the conversation, the
 * customer's CRM record and the business's custom functions. In order: the model settings (503 when
 * there are none), a credit reservation (402 when none are left, before anything is called), the
 * context, the model loop; then, whatever happened, the reply is charged what the model reported and
 * its function calls are logged.
 */
import type { ContextSource, SuggestReplyRequest, SuggestReplyResponse } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo } from '../../lib/secret-box.ts';
import { newId } from '../../lib/ids.ts';
import { reserveCredits, settleCharge, type SettledCharge } from '../credits/index.ts';
import { listFunctionsForModel } from '../functions/index.ts';
import { getShop } from '../shops/index.ts';
import { readChatPhone } from './chat-phone.ts';
import { loadConversation } from './conversation.ts';
import { gatherCustomerContext } from './customer-context.ts';
import { newFenceNonce } from '../../lib/data-fence.ts';
import { writeFunctionLogs } from './function-logs.ts';
import { defaultReplyLimits, replyDeadlines, type ReplyLimits } from './limits.ts';
import { resolveModelTarget } from './model-settings.ts';
import { buildPrompt } from './prompt.ts';
import { newMeter, runReplyLoop } from './reply-loop.ts';
import { createToolCallRunner, type ExecutedCall, type ToolCallRunner } from './tool-calls.ts';

/** What the reply's time went to, in ms (the route sends it as Server-Timing). */
export interface ReplyTiming {
  total: number;
  model: number;
  functions: number;
  crm: number;
}

export interface SuggestReplyOptions {
  /** Tests shorten the limits; production uses the defaults. */
  limits?: Partial<ReplyLimits>;
}

/** The ledger's name for what AI replies spend. */
const AI_REPLY_FEATURE = 'ai_reply';

const presentCall = (call: ExecutedCall) => ({
  name: call.name,
  arguments: call.arguments,
  status: call.outcome.status,
  http_status: call.outcome.httpStatus,
  latency_ms: call.outcome.latencyMs,
  ...(call.outcome.error === undefined ? {} : { error: call.outcome.error }),
});

export async function suggestReply(
  deps: AppDeps,
  shopId: string,
  input: SuggestReplyRequest,
  options: SuggestReplyOptions = {},
): Promise<{ response: SuggestReplyResponse; timing: ReplyTiming }> {
  const requestStarted = performance.now();
  const limits = { ...defaultReplyLimits, ...options.limits };
  const [shop, target] = await Promise.all([getShop(deps.db, shopId), resolveModelTarget(deps, shopId)]);
  const phone = await readChatPhone(input.phone, shop.country);
  const reservation = await reserveCredits(deps, { id: shop.id, timezone: shop.timezone });

  // The reply's own time starts once it holds credits: waiting for them is not the model's budget.
  const deadlines = replyDeadlines(limits, performance.now());
  const replyId = newId('rpl');
  const meter = newMeter();
  let runner: ToolCallRunner | undefined;
  const finish = (): Promise<[SettledCharge, void]> =>
    Promise.all([
      settleCharge(deps, reservation, { feature: AI_REPLY_FEATURE, reference: replyId, usage: meter.usage }),
      writeFunctionLogs(deps, shopId, replyId, runner?.executed ?? []),
    ]);

  let reply: string;
  let sources: ContextSource[];
  let crmMs = 0;
  try {
    const timedContext = async () => {
      const started = performance.now();
      const context = await gatherCustomerContext(deps, shopId, phone);
      crmMs = performance.now() - started;
      return context;
    };
    const [customer, tools, conversation] = await Promise.all([
      timedContext(),
      listFunctionsForModel(deps, shopId),
      loadConversation(deps, shopId, phone, input),
    ]);
    runner = createToolCallRunner({
      deps,
      shopId,
      limits,
      deadlines,
      offered: tools.map((tool) => tool.function.name),
      signingSecret: () =>
        deps.secrets.open(shop.requestSigningSecret, boundTo(shopId, 'shops.request_signing_secret')),
    });
    sources = [...customer.sources, conversation.source];
    if (input.instruction !== undefined) sources.push({ kind: 'instruction' });
    const messages = buildPrompt({
      shop: { name: shop.name, locale: shop.locale },
      phone,
      customer: customer.data,
      conversation: conversation.lines,
      instruction: input.instruction,
      now: deps.clock.now(),
      nonce: newFenceNonce(),
    });
    reply = await runReplyLoop({ deps, target, messages, tools, runner, limits, deadlines, meter });
  } catch (error) {
    // The model may have worked before the failure: that is charged too, and the calls logged.
    await finish().catch((finishError: unknown) =>
      deps.logger.error({ err: finishError, replyId }, 'could not settle a failed AI reply'),
    );
    throw error;
  }
  const [settled] = await finish();
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    response: {
      reply_id: replyId,
      reply,
      phone,
      tool_calls: runner.executed.map(presentCall),
      context_sources: sources,
      usage: meter.usage,
      credits_charged: settled.charged,
    },
    timing: {
      total: round(performance.now() - requestStarted),
      model: round(meter.modelMs),
      functions: round(runner.sendingMs),
      crm: round(crmMs),
    },
  };
}
