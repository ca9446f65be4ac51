/**
 * The signature Parley puts on every call to a business's CRM endpoint
 * (docs/crm-endpoints.md#verifying-the-signature), so the CRM can refuse forged or replayed calls:
 * `X-Parley-Timestamp` (unix seconds) and `X-Parley-Signature`, lowercase hex HMAC-SHA256 keyed with the
 * shop's request-signing secret (UTF-8) over `<timestamp>.<METHOD>.<path and query as sent>.<body, empty for
 * GET>`.
 */
import { createHmac } from 'node:crypto';
import type { WebhookBody } from './body.ts';
import { compareInConstantTime } from './compare.ts';
import { readHeader, type HeaderInput } from './headers.ts';
import { fail, type VerifyFailure } from './result.ts';
import { requireUnixSeconds } from './standard.ts';

export interface CrmRequestToSign {
  secret: string;
  /** Unix seconds. */
  timestamp: number;
  method: string;
  /** The request target exactly as sent: path plus `?query`, e.g. `/crm/customer?phone=%2B34655123987`. */
  pathAndQuery: string;
  /** The raw body; empty for GET. */
  body: WebhookBody;
}

export const crmSignatureHeaders = {
  timestamp: 'X-Parley-Timestamp',
  signature: 'X-Parley-Signature',
} as const;

function computeCrmSignature({ secret, timestamp, method, pathAndQuery, body }: CrmRequestToSign): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${timestamp}.${method.toUpperCase()}.${pathAndQuery}.`, 'utf8')
    .update(body)
    .digest('hex');
}

/** The two headers to add to a CRM request. */
export function signCrmRequest(request: CrmRequestToSign): Record<string, string> {
  requireUnixSeconds(request.timestamp);
  return {
    [crmSignatureHeaders.timestamp]: String(request.timestamp),
    [crmSignatureHeaders.signature]: computeCrmSignature(request),
  };
}

export interface VerifyCrmRequestInput {
  secret: string;
  headers: HeaderInput;
  method: string;
  pathAndQuery: string;
  body: WebhookBody;
  toleranceSeconds?: number;
  /** Milliseconds, like Date.now(). */
  now?: number;
}

/** For CRMs written in Node: checks the signature and that the timestamp is within the tolerance. */
export function verifyCrmRequest(
  input: VerifyCrmRequestInput,
): { ok: true; timestamp: number } | VerifyFailure {
  const { headers, toleranceSeconds = 300, now = Date.now() } = input;
  const timestampText = readHeader(headers, crmSignatureHeaders.timestamp);
  const signature = readHeader(headers, crmSignatureHeaders.signature);
  if (timestampText === undefined || signature === undefined) {
    return fail('MISSING_HEADER', 'X-Parley-Timestamp and X-Parley-Signature are required.');
  }
  if (!/^\d{1,15}$/.test(timestampText))
    return fail('INVALID_TIMESTAMP', 'X-Parley-Timestamp is not unix seconds.');
  const timestamp = Number(timestampText);
  const skew = timestamp - Math.floor(now / 1000);
  if (skew < -toleranceSeconds)
    return fail('TIMESTAMP_TOO_OLD', 'X-Parley-Timestamp is older than the tolerance.');
  if (skew > toleranceSeconds) return fail('TIMESTAMP_IN_FUTURE', 'X-Parley-Timestamp is in the future.');
  const expected = Buffer.from(computeCrmSignature({ ...input, timestamp }), 'hex');
  const received = /^[0-9a-fA-F]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return compareInConstantTime(expected, received)
    ? { ok: true, timestamp }
    : fail('NO_MATCHING_SIGNATURE', 'X-Parley-Signature does not match this request.');
}
