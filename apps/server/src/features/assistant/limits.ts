/**
 * The bounds of one AI reply (issue 6). They keep a looping model from running up credits, from
 * hammering the business's API, and from keeping the agent waiting. Tests pass smaller values.
 */
export interface ReplyLimits {
  /** Model calls per reply, the final one (without tools) included. */
  maxSteps: number;
  /** Custom function calls per reply that reach their endpoint. */
  maxToolCalls: number;
  /** The whole reply, from the request to the final answer. */
  replyTimeoutMs: number;
  /** Time kept for the final call without tools: functions stop being called when only this is left. */
  finalCallReserveMs: number;
  /** One function call, retry included (60 s: docs/custom-functions.md#when-the-model-calls-one). */
  functionTimeoutMs: number;
  /** `max_tokens` of each model call: a WhatsApp reply is short. */
  maxCompletionTokens: number;
  /** Characters of a function's answer the model sees. */
  functionAnswerMaxChars: number;
}

export const defaultReplyLimits: ReplyLimits = {
  maxSteps: 5,
  maxToolCalls: 8,
  replyTimeoutMs: 90_000,
  finalCallReserveMs: 20_000,
  functionTimeoutMs: 60_000,
  maxCompletionTokens: 1_024,
  functionAnswerMaxChars: 16_384,
};

/** `performance.now()` values; timeouts use the monotonic clock, never the app clock (tests freeze that). */
export interface ReplyDeadlines {
  /** The reply must be done by then. */
  reply: number;
  /** No function call starts after this: the rest is kept for the final call. */
  functions: number;
}

export const replyDeadlines = (limits: ReplyLimits, startedAt: number): ReplyDeadlines => ({
  reply: startedAt + limits.replyTimeoutMs,
  functions: startedAt + limits.replyTimeoutMs - limits.finalCallReserveMs,
});
