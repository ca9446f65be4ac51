/**
 * The model ↔ functions loop of one reply. Functions are offered while the reply is within its
 * limits; the call after a limit is hit (steps, function calls, time) is made without `tools`, so
 * the model has to answer with what it has, and that answer ends the reply.
 */
import type { AppDeps } from '../../app-deps.ts';
import { AppError } from '../../lib/errors.ts';
import type { ChatMessage, ChatTool, LlmTarget, ModelToolCall, Usage } from '../../lib/llm/index.ts';
import type { ReplyDeadlines, ReplyLimits } from './limits.ts';
import type { ToolCallRunner } from './tool-calls.ts';

/** Summed over the reply's model calls; kept outside the loop so a failed reply is still charged. */
export interface ReplyMeter {
  usage: Usage;
  modelMs: number;
  modelCalls: number;
}

export const newMeter = (): ReplyMeter => ({
  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  modelMs: 0,
  modelCalls: 0,
});

export interface ReplyLoopInput {
  deps: Pick<AppDeps, 'llm' | 'logger'>;
  target: LlmTarget;
  messages: ChatMessage[];
  tools: ChatTool[];
  runner: ToolCallRunner;
  limits: ReplyLimits;
  deadlines: ReplyDeadlines;
  meter: ReplyMeter;
}

/** A model may repeat an id; answering it twice would make the next request invalid. */
const uniqueById = (calls: readonly ModelToolCall[]) =>
  calls.filter((call, index) => calls.findIndex((other) => other.id === call.id) === index);

export async function runReplyLoop(input: ReplyLoopInput): Promise<string> {
  const { deps, target, messages, tools, runner, limits, deadlines, meter } = input;
  for (let step = 1; ; step++) {
    const offerTools =
      tools.length > 0 &&
      step < limits.maxSteps &&
      !runner.limitReached &&
      performance.now() < deadlines.functions;
    const timeLeft = Math.floor(deadlines.reply - performance.now());
    if (timeLeft <= 0) {
      throw new AppError('AI_TIMEOUT', `The reply took longer than ${limits.replyTimeoutMs} ms.`, 504);
    }
    const result = await deps.llm.chat(
      target,
      { messages, maxTokens: limits.maxCompletionTokens, ...(offerTools ? { tools } : {}) },
      { timeoutMs: timeLeft },
    );
    meter.modelCalls++;
    meter.modelMs += result.latencyMs;
    meter.usage.prompt_tokens += result.usage.prompt_tokens;
    meter.usage.completion_tokens += result.usage.completion_tokens;
    meter.usage.total_tokens += result.usage.total_tokens;
    if (result.usageEstimated)
      deps.logger.warn({ model: target.model }, 'the model API reported no usage; estimated');

    if (!offerTools || result.toolCalls.length === 0) {
      const reply = result.content?.trim() ?? '';
      if (reply === '') {
        throw new AppError('AI_EMPTY_REPLY', 'The model answered without any reply text; try again.', 502);
      }
      return reply;
    }
    const calls = uniqueById(result.toolCalls);
    messages.push({ role: 'assistant', content: result.content, tool_calls: calls });
    messages.push(...(await runner.runStep(calls)));
  }
}
