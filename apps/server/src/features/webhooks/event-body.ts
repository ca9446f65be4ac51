/**
 * The event as sent (docs/webhooks.md#events), serialized exactly once: every attempt then sends these bytes.
 */
import type { WebhookEventEnvelope, WebhookEventType } from '@parley/contract';
import { newId } from '../../lib/ids.ts';

/** The events a webhook can subscribe to. */
export type WebhookEventName = WebhookEventType;

export interface SerializedEvent {
  id: string;
  event: WebhookEventName;
  body: string;
  createdAt: Date;
}

export function serializeEvent(
  event: WebhookEventName,
  data: Record<string, unknown>,
  now: Date,
): SerializedEvent {
  const envelope: WebhookEventEnvelope = { id: newId('evt'), event, timestamp: now.toISOString(), data };
  return { id: envelope.id, event, body: JSON.stringify(envelope), createdAt: now };
}
