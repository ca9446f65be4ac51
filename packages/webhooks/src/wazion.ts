/**
 * The WAzion scheme (docs/webhooks.md#the-request): `X-WAzion-Signature`, also sent as `X-Webhook-Signature`,
 * is the lowercase hex HMAC-SHA256 of the raw body keyed with the secret's UTF-8 bytes. It signs no
 * timestamp, so it cannot tell a replay from a delivery; Standard Webhooks can.
 */
import { createHmac } from 'node:crypto';
import { requireRawBody, type WebhookBody } from './body.ts';
import { compareInConstantTime } from './compare.ts';
import { decodeWazionKey, invalidSecretMessage } from './secret.ts';

// Either case: hex digits name the same bytes, and the comparison is on the bytes.
const hexSha256 = /^[0-9a-fA-F]{64}$/;

export function signWazion(body: WebhookBody, secret: string): string {
  requireRawBody(body);
  const key = decodeWazionKey(secret);
  if (key === undefined) throw new TypeError(invalidSecretMessage);
  return createHmac('sha256', key).update(body).digest('hex');
}

/** True when `signature` is the body's WAzion signature; upper-case hex is accepted. Never throws on received values. */
export function verifyWazion(body: WebhookBody, secret: string, signature: string | undefined): boolean {
  requireRawBody(body);
  const key = decodeWazionKey(secret);
  if (key === undefined || signature === undefined || !hexSha256.test(signature)) return false;
  const expected = createHmac('sha256', key).update(body).digest();
  return compareInConstantTime(Buffer.from(signature, 'hex'), expected);
}
