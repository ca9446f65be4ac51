/**
 * Smart Follow-up (docs/smart-followup.md): the settings a shop saves over MCP, the analysis the model
 * must answer with, the follow-ups agents work through `GET /api/followups`, and the data of the three
 * `followup.*` webhook events. Names follow WAzion's tools, so an assistant that knows them knows these.
 */
import { z } from 'zod';
import { describeValue } from './crm/describe-value.ts';

export const followupIntentLevels = ['none', 'low', 'medium', 'high'] as const;
export type FollowupIntentLevel = (typeof followupIntentLevels)[number];
/** What `min_intent_level` may be: `none` would follow up on every chat. */
export const followupMinIntentLevels = ['low', 'medium', 'high'] as const;
export type FollowupMinIntentLevel = (typeof followupMinIntentLevels)[number];
export const followupOutcomes = ['abandoned', 'unclear', 'converted', 'support_only'] as const;
export type FollowupOutcome = (typeof followupOutcomes)[number];
export const followupSentiments = ['positive', 'neutral', 'negative'] as const;
export const followupTones = ['friendly', 'professional', 'casual'] as const;
export type FollowupTone = (typeof followupTones)[number];

/** The order intent levels compare in. */
export const intentRank = (level: FollowupIntentLevel): number => followupIntentLevels.indexOf(level);

/**
 * Why a conversation got no follow-up. The first group is decided before any model call (no credits
 * spent), the second after the analysis, the last by the purchase check.
 */
export const followupSkipReasons = [
  'excluded_phone',
  'opted_out',
  'no_phone',
  'no_customer_message',
  'max_attempts_reached',
  'retry_interval',
  'followup_pending',
  'run_cap_reached',
  'no_credits',
  'model_unavailable',
  'model_output_invalid',
  'below_min_intent',
  'negative_sentiment',
  'support_only',
  'already_converted',
  'crm_order_found',
  'crm_unavailable',
] as const;
export type FollowupSkipReason = (typeof followupSkipReasons)[number];

/** What a run did with a conversation (`get_smart_followup_logs`' `action_taken`). */
export const followupActions = ['drafted', 'webhook_fired', 'logged_only', 'skipped'] as const;
export type FollowupAction = (typeof followupActions)[number];

export const followupStatuses = ['pending', 'due', 'sent', 'dismissed', 'cancelled', 'expired'] as const;
export type FollowupStatus = (typeof followupStatuses)[number];
export const followupCancelReasons = ['customer_replied', 'converted', 'opted_out'] as const;
export type FollowupCancelReason = (typeof followupCancelReasons)[number];

// ---------------------------------------------------------------------------------------------
// Settings

export const MAX_CUSTOM_INSTRUCTIONS_LENGTH = 2_000;
export const MAX_EXCLUDE_PHONES = 200;

export interface SmartFollowupSettings {
  enabled: boolean;
  run_hour: number;
  run_days: number[];
  lookback_hours: number;
  min_intent_level: FollowupMinIntentLevel;
  max_attempts: number;
  retry_interval_hours: number;
  max_conversations: number;
  delay_days: number;
  sending_window_start: number | null;
  sending_window_end: number | null;
  tracking_days: number;
  reset_attempts_days: number;
  followup_tone: FollowupTone;
  custom_instructions: string;
  exclude_phones: string[];
  agent_queue: boolean;
}

export const defaultSmartFollowupSettings: SmartFollowupSettings = {
  enabled: false,
  run_hour: 10,
  run_days: [0, 1, 2, 3, 4, 5, 6],
  lookback_hours: 24,
  min_intent_level: 'medium',
  max_attempts: 2,
  retry_interval_hours: 48,
  max_conversations: 50,
  delay_days: 0,
  sending_window_start: null,
  sending_window_end: null,
  tracking_days: 7,
  reset_attempts_days: 90,
  followup_tone: 'friendly',
  custom_instructions: '',
  exclude_phones: [],
  agent_queue: true,
};

/** A whole number in a range, refused with a message that names the setting and the range. */
const wholeIn = (name: string, min: number, max: number, unit = '') =>
  z
    .number({ error: `${name} must be a number from ${min} to ${max}${unit}` })
    .int(`${name} must be a whole number from ${min} to ${max}${unit}`)
    .min(min, `${name} must be from ${min} to ${max}${unit}`)
    .max(max, `${name} must be from ${min} to ${max}${unit}`);

const hourOrNull = (name: string) =>
  wholeIn(name, 0, 23, ' (an hour of the shop time zone), or null for no limit').nullable();

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +34612345678');

const enumOf = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, {
    error: (issue) => `${name} must be one of ${values.join(', ')}; got ${describeValue(issue.input)}`,
  });

/** `save_smart_followup_config`: a partial update, every omitted setting keeps its value. */
export const saveSmartFollowupConfigInput = z.strictObject({
  enabled: z
    .boolean({ error: 'enabled must be true or false' })
    .optional()
    .describe('Turns daily runs on or off.'),
  run_hour: wholeIn('run_hour', 0, 23, ' (hour of the shop time zone)')
    .optional()
    .describe('Hour of the daily run, 0-23 in the shop time zone (default 10).'),
  run_days: z
    .array(wholeIn('run_days', 0, 6, ' (0 = Sunday … 6 = Saturday)'), {
      error: 'run_days must be a list of weekdays, 0 = Sunday … 6 = Saturday',
    })
    .min(1, 'run_days must list at least one day (turn runs off with enabled: false)')
    .max(7, 'run_days lists each weekday at most once')
    .refine((days) => new Set(days).size === days.length, 'run_days lists each weekday at most once')
    .optional()
    .describe(
      'Weekdays to run on, 0 = Sunday … 6 = Saturday (default all). A day off rolls its window into the next run.',
    ),
  lookback_hours: wholeIn('lookback_hours', 1, 168, ' hours')
    .optional()
    .describe('How far back a run looks for conversations with activity, 1-168 hours (default 24).'),
  min_intent_level: enumOf('min_intent_level', followupMinIntentLevels)
    .optional()
    .describe('Least purchase intent worth a follow-up: low, medium or high (default medium).'),
  max_attempts: wholeIn('max_attempts', 1, 5)
    .optional()
    .describe('Follow-ups per conversation before it is left alone, 1-5 (default 2).'),
  retry_interval_hours: wholeIn('retry_interval_hours', 1, 720, ' hours')
    .optional()
    .describe('Least time between two follow-ups of one conversation, 1-720 hours (default 48).'),
  max_conversations: wholeIn('max_conversations', 1, 1000)
    .optional()
    .describe('Conversations analysed per run at most, 1-1000 (default 50); each analysis costs credits.'),
  delay_days: wholeIn('delay_days', 0, 30, ' days')
    .optional()
    .describe('Days after the conversation went quiet before its follow-up is due, 0-30 (default 0).'),
  sending_window_start: hourOrNull('sending_window_start')
    .optional()
    .describe('First hour (0-23, shop time zone) a follow-up may become due; null for any hour.'),
  sending_window_end: hourOrNull('sending_window_end')
    .optional()
    .describe(
      'Hour (0-23, shop time zone) the sending window closes (exclusive; may wrap past midnight); null for any hour.',
    ),
  tracking_days: wholeIn('tracking_days', 1, 30, ' days')
    .optional()
    .describe(
      'Days after a follow-up is due during which a reply or a purchase is credited to it, 1-30 (default 7).',
    ),
  reset_attempts_days: wholeIn('reset_attempts_days', 30, 365, ' days')
    .optional()
    .describe(
      'Days without messages after which a conversation starts counting attempts anew, 30-365 (default 90).',
    ),
  followup_tone: enumOf('followup_tone', followupTones)
    .optional()
    .describe('Tone of the drafted message: friendly, professional or casual (default friendly).'),
  custom_instructions: z
    .string({ error: 'custom_instructions must be text' })
    .max(
      MAX_CUSTOM_INSTRUCTIONS_LENGTH,
      `custom_instructions must be at most ${MAX_CUSTOM_INSTRUCTIONS_LENGTH} characters`,
    )
    .optional()
    .describe(
      'Extra guidance for the drafted message (at most 2,000 characters), e.g. "offer free shipping over 50 €".',
    ),
  exclude_phones: z
    .array(e164, { error: 'exclude_phones must be a list of E.164 phone numbers' })
    .max(MAX_EXCLUDE_PHONES, `exclude_phones may list at most ${MAX_EXCLUDE_PHONES} phones`)
    .optional()
    .describe('Phones never followed up (E.164, at most 200); replaces the list.'),
  agent_queue: z
    .boolean({ error: 'agent_queue must be true or false' })
    .optional()
    .describe(
      'True (default): follow-ups appear in the agents’ side panel. False: only the webhook gets them.',
    ),
  auto_send_enabled: z
    .boolean({ error: 'auto_send_enabled can only be false' })
    .refine(
      (on) => !on,
      'auto_send_enabled cannot be turned on: Parley never sends WhatsApp messages itself, because automated sends through WhatsApp Web get accounts banned. An agent sends each follow-up from the side panel.',
    )
    .optional()
    .describe(
      'Always false: an agent sends every follow-up (automated WhatsApp Web sends get accounts banned).',
    ),
});
export type SaveSmartFollowupConfigInput = z.output<typeof saveSmartFollowupConfigInput>;

/** Rules that span two settings, checked on the merged result so a partial update cannot break them. */
export function sendingWindowProblem(settings: SmartFollowupSettings): string | null {
  const { sending_window_start: start, sending_window_end: end } = settings;
  if ((start === null) !== (end === null)) {
    return 'sending_window_start and sending_window_end go together: set both (hours 0-23) or both to null for any hour.';
  }
  if (start !== null && start === end) {
    return 'sending_window_start and sending_window_end must differ (the window would be empty); set both to null for any hour.';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The analysis the model answers with

export const MAX_SUGGESTED_MESSAGE_LENGTH = 1_500;

/** Validated even when the provider promised strict structured output: nothing else reaches the store. */
export const followupAnalysis = z.strictObject({
  intent_level: z.enum(followupIntentLevels),
  outcome: z.enum(followupOutcomes),
  product_mentioned: z.string().max(300).nullable(),
  customer_objection: z.string().max(300).nullable(),
  sentiment: z.enum(followupSentiments),
  opt_out_requested: z.boolean(),
  evidence_message_ids: z.array(z.string().max(256)).max(50),
  suggested_message: z.string().max(MAX_SUGGESTED_MESSAGE_LENGTH),
  reason: z.string().max(1_000),
});
export type FollowupAnalysis = z.output<typeof followupAnalysis>;

/** The same schema as JSON Schema for `response_format` (strict mode: every key required, no others). */
export const followupAnalysisJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'intent_level',
    'outcome',
    'product_mentioned',
    'customer_objection',
    'sentiment',
    'opt_out_requested',
    'evidence_message_ids',
    'suggested_message',
    'reason',
  ],
  properties: {
    intent_level: { type: 'string', enum: [...followupIntentLevels] },
    outcome: { type: 'string', enum: [...followupOutcomes] },
    product_mentioned: { type: ['string', 'null'] },
    customer_objection: { type: ['string', 'null'] },
    sentiment: { type: 'string', enum: [...followupSentiments] },
    opt_out_requested: { type: 'boolean' },
    evidence_message_ids: { type: 'array', items: { type: 'string' } },
    suggested_message: { type: 'string' },
    reason: { type: 'string' },
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Agents: GET /api/followups, POST /api/followups/:id/sent, POST /api/followups/:id/dismiss

export const listFollowupsQuery = z.strictObject({
  status: z
    .enum(['due', 'pending', 'sent', 'all'], {
      error: (issue) => `status must be due, pending, sent or all; got ${describeValue(issue.input)}`,
    })
    .default('due'),
  phone: e164.optional(),
});
export type ListFollowupsQuery = z.output<typeof listFollowupsQuery>;

export const dismissFollowupRequest = z.strictObject({
  reason: z
    .string({ error: 'reason must be text' })
    .trim()
    .max(500, 'reason must be at most 500 characters')
    .optional(),
});
export type DismissFollowupRequest = z.output<typeof dismissFollowupRequest>;

export const followupView = z.strictObject({
  id: z.string(),
  phone: z.string(),
  chat_name: z.string().nullable(),
  status: z.enum(followupStatuses),
  cancel_reason: z.enum(followupCancelReasons).nullable(),
  intent_level: z.enum(followupIntentLevels),
  outcome: z.enum(followupOutcomes),
  product_mentioned: z.string().nullable(),
  customer_objection: z.string().nullable(),
  suggested_message: z.string(),
  attempt_number: z.number().int().positive(),
  due_at: z.string(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
  dismissed_at: z.string().nullable(),
  replied_at: z.string().nullable(),
  converted_at: z.string().nullable(),
  /** Opens the chat in WhatsApp Web. */
  whatsapp_url: z.string(),
});
export type FollowupView = z.output<typeof followupView>;

export const listFollowupsResponse = z.strictObject({ followups: z.array(followupView) });
export type ListFollowupsResponse = z.output<typeof listFollowupsResponse>;

export const followupChangeResponse = z.strictObject({ followup: followupView });
export type FollowupChangeResponse = z.output<typeof followupChangeResponse>;

// ---------------------------------------------------------------------------------------------
// Webhook event data

export const followupDetectedEventData = z.strictObject({
  followup_id: z.string(),
  event_type: z.literal('followup.detected'),
  shop_id: z.string(),
  phone: z.string(),
  chat_phone: z.string(),
  conversation_hash: z.string().regex(/^[0-9a-f]{64}$/),
  intent_level: z.enum(followupIntentLevels),
  product_mentioned: z.string().nullable(),
  customer_objection: z.string().nullable(),
  outcome: z.enum(followupOutcomes),
  suggested_message: z.string(),
  /** Always false: kept for receivers written for WAzion, which also checked Shopify. */
  shopify_order_found: z.literal(false),
  crm_order_found: z.literal(false),
  attempt_number: z.number().int().positive(),
  due_at: z.iso.datetime(),
  timestamp: z.iso.datetime(),
});
export type FollowupDetectedEventData = z.output<typeof followupDetectedEventData>;

export const followupRepliedEventData = z.strictObject({
  followup_id: z.string(),
  event_type: z.literal('followup.replied'),
  shop_id: z.string(),
  phone: z.string(),
  conversation_hash: z.string().regex(/^[0-9a-f]{64}$/),
  attempt_number: z.number().int().positive(),
  replied_at: z.iso.datetime(),
  timestamp: z.iso.datetime(),
});
export type FollowupRepliedEventData = z.output<typeof followupRepliedEventData>;

export const followupConvertedEventData = z.strictObject({
  followup_id: z.string(),
  event_type: z.literal('followup.converted'),
  shop_id: z.string(),
  phone: z.string(),
  conversation_hash: z.string().regex(/^[0-9a-f]{64}$/),
  attempt_number: z.number().int().positive(),
  converted_at: z.iso.datetime(),
  order: z
    .strictObject({
      name: z.string().nullable(),
      amount: z.number().nullable(),
      currency: z.string().nullable(),
      date: z.string().nullable(),
    })
    .nullable(),
  source: z.literal('crm'),
  timestamp: z.iso.datetime(),
});
export type FollowupConvertedEventData = z.output<typeof followupConvertedEventData>;

// ---------------------------------------------------------------------------------------------
// Logs and stats (get_smart_followup_logs, get_smart_followup_stats)

export const followupPeriods = [
  'today',
  'yesterday',
  'last_7_days',
  'last_30_days',
  'this_month',
  'last_month',
  'last_90_days',
  'last_365_days',
  'all_time',
  'custom',
] as const;
export type FollowupPeriod = (typeof followupPeriods)[number];

const calendarDay = (name: string) =>
  z
    .string({ error: `${name} must be a day as YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a day as YYYY-MM-DD`)
    .refine((day) => {
      const date = new Date(`${day}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
    }, `${name} is not a calendar day`);

export const followupPeriodInput = z.strictObject({
  period: enumOf('period', followupPeriods)
    .default('last_7_days')
    .describe(
      "Days of the shop's time zone: today … last_365_days, all_time, or custom with date_from/date_to (default last_7_days).",
    ),
  date_from: calendarDay('date_from').optional().describe('With period custom: the first day, YYYY-MM-DD.'),
  date_to: calendarDay('date_to')
    .optional()
    .describe('With period custom: the last day, YYYY-MM-DD, included.'),
});

export const followupLogsInput = followupPeriodInput.extend({
  intent_level: enumOf('intent_level', followupIntentLevels)
    .optional()
    .describe('Only analyses with this intent level.'),
  action_taken: enumOf('action_taken', followupActions)
    .optional()
    .describe(
      'drafted (a follow-up for agents), webhook_fired (its followup.detected was recorded), logged_only, or skipped.',
    ),
  outcome: enumOf('outcome', followupOutcomes).optional().describe('Only analyses with this outcome.'),
  search: z
    .string({ error: 'search must be text' })
    .trim()
    .min(1, 'search must not be empty')
    .max(100, 'search must be at most 100 characters')
    .optional()
    .describe('Part of a phone number or of the product mentioned.'),
  page: z
    .number({ error: 'page must be a number from 1' })
    .int('page must be a whole number from 1')
    .min(1, 'page must be from 1')
    .max(10_000, 'page must be at most 10000')
    .default(1)
    .describe('20 entries a page, newest first (default 1).'),
});
export type FollowupLogsInput = z.output<typeof followupLogsInput>;
export type FollowupPeriodInput = z.output<typeof followupPeriodInput>;
