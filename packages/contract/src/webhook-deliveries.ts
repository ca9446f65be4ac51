/**
 * Webhook events as sent (docs/webhooks.md#events) and the inputs of the delivery tools: test_webhook,
 * list_webhook_deliveries, redeliver_webhook and recover_webhooks.
 */
import { z } from 'zod';
import { describeValue } from './crm/describe-value.ts';
import { webhookEventType, webhookSecret, webhookUrl, type WebhookEventType } from './webhook-config.ts';

/** The JSON body of every webhook. It is serialized once; every attempt sends the same bytes. */
export interface WebhookEventEnvelope {
  /** `evt_…`, also X-Webhook-ID and webhook-id: receivers de-duplicate on it. */
  id: string;
  event: WebhookEventType;
  /** ISO 8601 UTC, when the event was recorded. */
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * A delivery as the tools show it: `pending` (not tried yet), `delivering` (an attempt is in flight),
 * `failed` (the last attempt failed, another is scheduled), `delivered`, `exhausted` (10 attempts failed).
 */
export const webhookDeliveryStatuses = ['pending', 'delivering', 'failed', 'delivered', 'exhausted'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

const isoDateTime = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

/** An instant given as an ISO 8601 date-time with a zone, or a date (midnight UTC). */
const instant = (name: string) =>
  z
    .string({ error: `${name} must be a string` })
    .regex(
      isoDateTime,
      `${name} must be an ISO 8601 date-time with a time zone such as 2026-03-01T09:00:00Z, or a date such as 2026-03-01`,
    )
    .transform((value) => new Date(value))
    .refine((date) => !Number.isNaN(date.getTime()), `${name} is not a real date`);

export const testWebhookInput = z.strictObject({
  webhook_url: webhookUrl.optional().describe('Where to send the test event. Defaults to the stored URL.'),
  webhook_secret: webhookSecret
    .optional()
    .describe('The secret to sign the test event with. Defaults to the stored one. Never shown back.'),
});
export type TestWebhookInput = z.output<typeof testWebhookInput>;

export const listWebhookDeliveriesInput = z.strictObject({
  status: z
    .enum(webhookDeliveryStatuses, {
      error: (issue) =>
        `unknown status ${describeValue(issue.input)}; valid statuses: ${webhookDeliveryStatuses.join(', ')}`,
    })
    .optional()
    .describe(`Only deliveries in this status: ${webhookDeliveryStatuses.join(', ')}.`),
  event: webhookEventType.optional().describe('Only events of this type.'),
  since: instant('since').optional().describe('Only events recorded at or after this instant.'),
  limit: z
    .number({ error: 'limit must be a number from 1 to 100' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(20)
    .describe('Deliveries per page, newest first (1 to 100, default 20).'),
  cursor: z
    .string({ error: 'cursor must be the next_cursor string of a previous page' })
    .min(1)
    .max(200)
    .optional()
    .describe('The next_cursor of the previous page; omit for the newest deliveries.'),
});
export type ListWebhookDeliveriesInput = z.output<typeof listWebhookDeliveriesInput>;

const eventId = z
  .string({ error: 'event_id must be a string such as evt_8Jc2…' })
  .regex(
    /^evt_[A-Za-z0-9_-]{1,64}$/,
    'event_id must be an event id such as evt_8Jc2…, as list_webhook_deliveries shows it',
  );

export const redeliverWebhookInput = z.strictObject({
  event_id: eventId.describe('The event to send again (the id list_webhook_deliveries shows).'),
});
export type RedeliverWebhookInput = z.output<typeof redeliverWebhookInput>;

export const recoverWebhooksInput = z.strictObject({
  since: instant('since').describe(
    'Re-send every delivery whose last attempt failed at or after this instant (failed or exhausted).',
  ),
});
export type RecoverWebhooksInput = z.output<typeof recoverWebhooksInput>;
