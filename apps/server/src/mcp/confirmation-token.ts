/**
 * Confirmation tokens are stateless: an HMAC (keyed with deps.signingKey) over the shop, the tool,
 * the arguments, the previewed before/after state and an expiry. Any process sharing the key can
 * check one, and nothing is stored. Checking recomputes the preview: if the state or the arguments
 * moved since the token was issued, the MAC no longer matches.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../lib/canonical-json.ts';

export const CONFIRMATION_TTL_MS = 10 * 60 * 1000;

const VERSION = 'ct1';

/** Everything a token binds. `hidden` is state compared but never shown (e.g. the stored sealed secret). */
export interface ConfirmationSubject {
  shopId: string;
  tool: string;
  args: unknown;
  before: unknown;
  after: unknown;
  hidden: unknown;
}

export type TokenCheck = 'valid' | 'expired' | 'mismatch';

function mac(key: Buffer, subject: ConfirmationSubject, expiresAt: number): Buffer {
  const material = canonicalJson([
    VERSION,
    subject.shopId,
    subject.tool,
    subject.args,
    subject.before,
    subject.after,
    subject.hidden,
    expiresAt,
  ]);
  return createHmac('sha256', key).update(material, 'utf8').digest();
}

export function issueConfirmationToken(key: Buffer, subject: ConfirmationSubject, now: Date): string {
  const expiresAt = Math.floor((now.getTime() + CONFIRMATION_TTL_MS) / 1000);
  return `${VERSION}.${expiresAt}.${mac(key, subject, expiresAt).toString('base64url')}`;
}

export function checkConfirmationToken(
  key: Buffer,
  subject: ConfirmationSubject,
  token: string,
  now: Date,
): TokenCheck {
  const match = /^ct1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (match === null) return 'mismatch';
  const expiresAt = Number(match[1]);
  const expected = mac(key, subject, expiresAt);
  const given = Buffer.from(match[2] ?? '', 'base64url');
  // The expiry is only trusted once the MAC proves this server wrote it.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'mismatch';
  return now.getTime() > expiresAt * 1000 ? 'expired' : 'valid';
}
