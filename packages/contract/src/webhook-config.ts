/**
 * The one webhook a shop configures (SPEC §3 and §6): the MCP tool input and what
 * `get_webhook_config` answers. The secret itself never appears in an output shape.
 */
import { z } from 'zod';

export const webhookEventTypes = [
  'phone.detected',
  'followup.detected',
  'followup.replied',
  'followup.converted',
  'test',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

const validEventsHint = `valid events: ${webhookEventTypes.join(', ')}`;

export const webhookEventType = z.enum(webhookEventTypes, {
  error: (issue) => `unknown event ${JSON.stringify(issue.input)}; ${validEventsHint}`,
});

export const configureWebhooksInput = z.strictObject({
  webhook_enabled: z
    .boolean({ error: 'required, and must be true (send events) or false (stop sending them)' })
    .describe('Required: true sends the subscribed events, false stops sending them.'),
  webhook_url: z
    .url({
      protocol: /^https?$/,
      error: 'webhook_url must be an absolute http(s) URL such as https://example.com/hooks/parley',
    })
    .max(2048, 'webhook_url must be at most 2048 characters')
    .optional()
    .describe('Where Parley POSTs events. Omit to keep the stored URL.'),
  webhook_secret: z
    .string()
    .min(1, 'webhook_secret must not be empty; pass null to remove the secret')
    .max(512, 'webhook_secret must be at most 512 characters')
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
});
export type ConfigureWebhooksInput = z.output<typeof configureWebhooksInput>;

export const webhookDeliveryStates = ['active', 'paused', 'disabled'] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];

export const webhookConfigView = z.strictObject({
  webhook_enabled: z.boolean(),
  webhook_url: z.string().nullable(),
  webhook_events: z.array(webhookEventType),
  has_secret: z.boolean(),
  delivery: z.strictObject({
    /** `paused` after the receiver answered 410; `disabled` when webhook_enabled is false. */
    state: z.enum(webhookDeliveryStates),
    last_success_at: z.iso.datetime().nullable(),
    last_failure_at: z.iso.datetime().nullable(),
    /** Events written but not yet delivered. */
    pending: z.number().int().nonnegative(),
  }),
});
export type WebhookConfigView = z.output<typeof webhookConfigView>;
