import type { WebhookBody } from './body.ts';
import { requireUnixSeconds, signStandard } from './standard.ts';
import { signWazion } from './wazion.ts';

export interface BuildSignatureHeadersInput {
  /** The event id (`evt_…`): X-Webhook-ID and webhook-id, the same on every attempt. */
  id: string;
  event: string;
  /** 1 for the first attempt, then 2, 3, … */
  attempt: number;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** The serialized event, the exact bytes that will be sent. */
  body: WebhookBody;
  /** Without a secret no signature header is sent; the others still are. */
  secret?: string;
}

/**
 * The headers of docs/webhooks.md#the-request that Parley sends with a webhook, in its order and spelling.
 * User-Agent is the sender's to add: it names the sending program's version, which this package cannot know.
 * Throws on an invalid secret, timestamp or attempt, all of which are the sender's own values.
 */
export function buildSignatureHeaders({
  id,
  event,
  attempt,
  timestamp,
  body,
  secret,
}: BuildSignatureHeadersInput): Record<string, string> {
  requireUnixSeconds(timestamp);
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError('attempt counts from 1.');
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (secret !== undefined) {
    const signature = signWazion(body, secret);
    headers['X-WAzion-Signature'] = signature;
    headers['X-Webhook-Signature'] = signature;
  }
  headers['X-Webhook-ID'] = id;
  headers['X-Webhook-Event'] = event;
  headers['X-Webhook-Attempt'] = String(attempt);
  headers['X-Webhook-Timestamp'] = String(timestamp);
  headers['webhook-id'] = id;
  headers['webhook-timestamp'] = String(timestamp);
  if (secret !== undefined) {
    headers['webhook-signature'] = signStandard({ id, timestamp, body, secret });
  }
  return headers;
}
