/**
 * The AI reply assistant (issue 6): `POST /api/ai/suggest-reply`, what the side panel sends and
 * shows. The draft is for the agent to edit and send; nothing here is sent to the customer.
 */
import { z } from 'zod';
import { MAX_MESSAGE_TEXT_LENGTH, messageDirections } from './conversations.ts';

/** Most messages one request may carry; the assistant reads only the latest ones anyway. */
export const MAX_SUGGEST_REPLY_MESSAGES = 200;
export const MAX_INSTRUCTION_LENGTH = 2_000;

/** A message as the panel has it; `id` and `sent_at` are optional so a draft can be sent too. */
export const suggestReplyMessage = z.strictObject({
  id: z.string().max(256).optional(),
  direction: z.enum(messageDirections, {
    error: 'must be "in" (from the customer) or "out" (from the business)',
  }),
  text: z.string().max(MAX_MESSAGE_TEXT_LENGTH, `must be at most ${MAX_MESSAGE_TEXT_LENGTH} characters`),
  sent_at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-03-02T10:00:00Z' })
    .optional(),
});
export type SuggestReplyMessage = z.output<typeof suggestReplyMessage>;

export const suggestReplyRequest = z.strictObject({
  /** The chat's phone; parsed with the shop's country, answered as E.164. */
  phone: z.string({ error: 'is required: the phone of the chat to answer' }).min(1).max(64),
  /** What the agent wants, e.g. "offer a 10% discount"; it guides the draft, it cannot lift the rules. */
  instruction: z
    .string()
    .max(MAX_INSTRUCTION_LENGTH, `must be at most ${MAX_INSTRUCTION_LENGTH} characters`)
    .optional(),
  /** Oldest first. When omitted, the messages stored for the chat (POST /api/conversations/messages). */
  messages: z
    .array(suggestReplyMessage)
    .max(MAX_SUGGEST_REPLY_MESSAGES, `must list at most ${MAX_SUGGEST_REPLY_MESSAGES} messages`)
    .optional(),
});
export type SuggestReplyRequest = z.output<typeof suggestReplyRequest>;

/**
 * What became of one function call the model asked for. Only `ok`, `http_error`, `failed` and
 * `timeout` made an HTTP call; the others were answered to the model without one.
 */
export const toolCallStatuses = [
  'ok',
  'http_error',
  'failed',
  'timeout',
  'invalid_arguments',
  'unknown_function',
  'duplicate',
  'limit_reached',
] as const;
export type ToolCallStatus = (typeof toolCallStatuses)[number];

export const toolCallRecord = z.object({
  name: z.string(),
  /** As the model sent them (parsed when they were JSON). */
  arguments: z.unknown(),
  status: z.enum(toolCallStatuses),
  http_status: z.number().int().nullable(),
  latency_ms: z.number().int().nullable(),
  error: z.string().optional(),
});
export type ToolCallRecord = z.output<typeof toolCallRecord>;

export const crmContextStatuses = ['found', 'not_found', 'not_configured', 'disabled', 'error'] as const;

/** Where the draft's context came from, so the agent can judge it. */
export const contextSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('crm'),
    endpoint: z.enum(['ai_CustomerInitialInfo', 'sidePanel_CustomerInfo']),
    status: z.enum(crmContextStatuses),
    customers: z.number().int(),
    has_context_text: z.boolean(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  z.object({
    kind: z.literal('messages'),
    origin: z.enum(['request', 'conversation', 'none']),
    count: z.number().int(),
  }),
  z.object({ kind: z.literal('instruction') }),
]);
export type ContextSource = z.output<typeof contextSource>;

export const tokenUsage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.output<typeof tokenUsage>;

export const suggestReplyResponse = z.object({
  /** Correlates the reply with its function call logs and its ledger charge. */
  reply_id: z.string(),
  reply: z.string(),
  /** The chat phone as E.164. */
  phone: z.string(),
  tool_calls: z.array(toolCallRecord),
  context_sources: z.array(contextSource),
  /** Summed over every model call of the reply. */
  usage: tokenUsage,
  /** Equals usage.total_tokens unless the balance ran out during the reply. */
  credits_charged: z.number().int().nonnegative(),
});
export type SuggestReplyResponse = z.output<typeof suggestReplyResponse>;
