/**
 * Standard Webhooks (standardwebhooks.com, docs/webhooks.md#the-request): `webhook-signature` lists
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` entries separated by spaces. The id and timestamp are
 * signed, so a replay with a fresh timestamp fails, and a stale one falls outside the tolerance.
 */
import { createHmac } from 'node:crypto';
import { requireRawBody, type WebhookBody } from './body.ts';
import { compareInConstantTime } from './compare.ts';
import { readHeader, type HeaderInput } from './headers.ts';
import { fail, type VerifyFailure } from './result.ts';
import { decodeStandardKey, invalidSecretMessage } from './secret.ts';

export interface SignStandardInput {
  /** The message id, `webhook-id`; Parley uses the event id, stable across retries. */
  id: string;
  /** Unix seconds of this attempt, `webhook-timestamp`. */
  timestamp: number;
  body: WebhookBody;
  secret: string;
}

export interface VerifyStandardInput {
  headers: HeaderInput;
  body: WebhookBody;
  secret: string;
  /** Largest accepted distance between `webhook-timestamp` and `now`, in either direction. */
  toleranceSeconds?: number;
  /** The receiver's clock, in milliseconds like `Date.now()`. */
  now?: number;
}

/** Success carries the signed id and timestamp: the id is what a receiver de-duplicates on. */
export type VerifyResult = { ok: true; id: string; timestamp: number } | VerifyFailure;

const defaultToleranceSeconds = 300;

/*
 * Canonical decimal only, at most 15 digits so the number is exact. Then the header text is the number's
 * own spelling, and libraries that re-print the parsed number before signing agree with us.
 */
const unixSeconds = /^(?:0|[1-9]\d{0,14})$/;

/** Throws on a timestamp that would put a fraction or an exponent into the headers and the signed text. */
export function requireUnixSeconds(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('timestamp must be whole unix seconds, for example Math.floor(Date.now() / 1000).');
  }
}

function computeSignature(key: Buffer, id: string, timestamp: string, body: WebhookBody): string {
  // The body is fed as bytes after the prefix, never joined into one string, so bytes that are not
  // valid UTF-8 are signed as received.
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest('base64');
}

/** The `v1,<base64>` value of `webhook-signature`. Throws on an invalid secret or timestamp. */
export function signStandard({ id, timestamp, body, secret }: SignStandardInput): string {
  requireRawBody(body);
  requireUnixSeconds(timestamp);
  const key = decodeStandardKey(secret);
  if (key === undefined) throw new TypeError(invalidSecretMessage);
  return `v1,${computeSignature(key, id, String(timestamp), body)}`;
}

/** Checks a received delivery. Never throws on received values: a failure says why with a stable code. */
export function verifyStandard({
  headers,
  body,
  secret,
  toleranceSeconds = defaultToleranceSeconds,
  now = Date.now(),
}: VerifyStandardInput): VerifyResult {
  requireRawBody(body);
  const key = decodeStandardKey(secret);
  if (key === undefined) return fail('INVALID_SECRET', invalidSecretMessage);

  const id = readHeader(headers, 'webhook-id');
  const timestampText = readHeader(headers, 'webhook-timestamp');
  const signatures = readHeader(headers, 'webhook-signature');
  if (id === undefined || timestampText === undefined || signatures === undefined) {
    return fail('MISSING_HEADER', 'webhook-id, webhook-timestamp and webhook-signature are all required.');
  }

  if (!unixSeconds.test(timestampText)) {
    return fail('INVALID_TIMESTAMP', 'webhook-timestamp is not whole unix seconds.');
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(now / 1000);
  // Written as "not within" so a NaN tolerance or clock fails closed instead of accepting every timestamp.
  if (!(nowSeconds - timestamp <= toleranceSeconds)) {
    return fail('TIMESTAMP_TOO_OLD', `webhook-timestamp is more than ${toleranceSeconds} s in the past.`);
  }
  if (!(timestamp - nowSeconds <= toleranceSeconds)) {
    return fail('TIMESTAMP_IN_FUTURE', `webhook-timestamp is more than ${toleranceSeconds} s in the future.`);
  }

  const expected = Buffer.from(computeSignature(key, id, timestampText, body));
  // Any matching v1 entry is enough: during a secret rotation the sender lists one per secret.
  // Other versions and malformed entries are skipped; comparing the canonical base64 text rejects
  // every non-canonical spelling without decoding untrusted input.
  const matched = signatures.split(' ').some((entry) => {
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') return false;
    return compareInConstantTime(Buffer.from(entry.slice(comma + 1), 'utf8'), expected);
  });
  return matched
    ? { ok: true, id, timestamp }
    : fail('NO_MATCHING_SIGNATURE', 'No v1 entry of webhook-signature matches this body and secret.');
}
