/**
 * The one webhook a shop configures (docs/webhooks.md#set-it-up, docs/webhooks.md#the-mcp-tools): the MCP
 * tool input and what `get_webhook_config` answers. The secret itself never appears in an output shape.
 */
import { z } from 'zod';
import { describeValue } from './crm/describe-value.ts';

export const webhookEventTypes = [
  'phone.detected',
  'followup.detected',
  'followup.replied',
  'followup.converted',
  'test',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/**
 * docs/webhooks.md#delivery-success-retries-pauses: a delivery succeeds with a 2xx within the timeout, 180 s
 * unless the webhook sets a lower one.
 */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 180_000;
export const MIN_WEBHOOK_TIMEOUT_MS = 1_000;

const validEventsHint = `valid events: ${webhookEventTypes.join(', ')}`;

export const webhookEventType = z.enum(webhookEventTypes, {
  error: (issue) => `unknown event ${describeValue(issue.input)}; ${validEventsHint}`,
});

/**
 * The receiver URL; the outbound policy (docs/architecture.md#the-outbound-policy) is checked by the server,
 * which can resolve it.
 */
export const webhookUrl = z
  .url({
    protocol: /^https?$/,
    error: 'webhook_url must be an absolute http(s) URL such as https://example.com/hooks/parley',
  })
  .max(2048, 'webhook_url must be at most 2048 characters');

export const webhookSecret = z
  .string()
  .min(1, 'webhook_secret must not be empty; pass null to remove the secret')
  .max(512, 'webhook_secret must be at most 512 characters');

export const configureWebhooksInput = z.strictObject({
  webhook_enabled: z
    .boolean({ error: 'required, and must be true (send events) or false (stop sending them)' })
    .describe('Required: true sends the subscribed events, false stops sending them.'),
  webhook_url: webhookUrl.optional().describe('Where Parley POSTs events. Omit to keep the stored URL.'),
  webhook_secret: webhookSecret
    .nullable()
    .optional()
    .describe(
      'Key for the X-WAzion-Signature and Standard Webhooks signatures (a `whsec_` prefix means base64). Omit to keep the stored one, null to remove it. Never shown back.',
    ),
  webhook_events: z
    .array(webhookEventType)
    .max(webhookEventTypes.length * 2, 'webhook_events lists each event at most once')
    .optional()
    .describe(`Replaces the subscribed events. Omit to keep them; ${validEventsHint}.`),
  webhook_timeout_ms: z
    .number({ error: 'webhook_timeout_ms must be a number of milliseconds' })
    .int('webhook_timeout_ms must be a whole number of milliseconds')
    .min(MIN_WEBHOOK_TIMEOUT_MS, `webhook_timeout_ms must be at least ${MIN_WEBHOOK_TIMEOUT_MS}`)
    .max(
      DEFAULT_WEBHOOK_TIMEOUT_MS,
      `webhook_timeout_ms must be at most ${DEFAULT_WEBHOOK_TIMEOUT_MS} (180 s)`,
    )
    .optional()
    .describe(
      'How long one delivery may take before it counts as failed, in ms (1000 to 180000, default 180000). Omit to keep it.',
    ),
});
export type ConfigureWebhooksInput = z.output<typeof configureWebhooksInput>;

export const webhookDeliveryStates = ['active', 'paused', 'disabled'] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];

/** Why a webhook is paused: the receiver answered 410 Gone, or every attempt failed for 5 days. */
export const webhookPauseReasons = ['gone', 'failing'] as const;
export type WebhookPauseReason = (typeof webhookPauseReasons)[number];

export const webhookConfigView = z.strictObject({
  webhook_enabled: z.boolean(),
  webhook_url: z.string().nullable(),
  webhook_events: z.array(webhookEventType),
  has_secret: z.boolean(),
  webhook_timeout_ms: z.number().int().positive(),
  delivery: z.strictObject({
    /** `paused` after a 410 or 5 days of failures (events are still stored); `disabled` when webhook_enabled is false. */
    state: z.enum(webhookDeliveryStates),
    pause_reason: z.enum(webhookPauseReasons).nullable(),
    /** When a paused webhook is next probed with a signed `test` event; the first success resumes it. */
    next_probe_at: z.iso.datetime().nullable(),
    last_success_at: z.iso.datetime().nullable(),
    last_failure_at: z.iso.datetime().nullable(),
    /** The first failure since the last success; 5 days of failures pause the webhook. */
    failing_since: z.iso.datetime().nullable(),
    /** Events written but not yet delivered (waiting, retrying or in flight). */
    pending: z.number().int().nonnegative(),
  }),
});
export type WebhookConfigView = z.output<typeof webhookConfigView>;
