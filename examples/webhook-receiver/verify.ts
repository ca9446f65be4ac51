/**
 * Checks both signatures Parley puts on every delivery, over the raw bytes received. The Standard
 * Webhooks one is required: it signs the id and the timestamp, so a recorded delivery replayed later
 * falls outside the tolerance. X-WAzion-Signature signs the body alone; it must match too, which is
 * how a receiver written for WAzion checks it. A receiver may keep either check on its own.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { verifyStandard, verifyWazion, type VerifyResult } from '@parley/webhooks';

export interface DeliveryToVerify {
  headers: IncomingHttpHeaders;
  /** The bytes received, before any JSON parsing: re-serialized JSON no longer matches. */
  body: Buffer;
  secret: string;
  /** How far `webhook-timestamp` may be from this machine's clock: Standard Webhooks uses 5 minutes. */
  toleranceSeconds: number;
}

/** Success carries the signed event id (to de-duplicate on) and timestamp. */
export function verifyDelivery({ headers, body, secret, toleranceSeconds }: DeliveryToVerify): VerifyResult {
  const standard = verifyStandard({ headers, body, secret, toleranceSeconds });
  if (!standard.ok) return standard;
  const wazion = headers['x-wazion-signature'];
  if (typeof wazion !== 'string' || !verifyWazion(body, secret, wazion)) {
    return {
      ok: false,
      code: typeof wazion === 'string' ? 'NO_MATCHING_SIGNATURE' : 'MISSING_HEADER',
      message: 'X-WAzion-Signature is missing or does not match this body and secret.',
    };
  }
  return standard;
}
