/**
 * API tokens are 256-bit random strings with a readable prefix (`pk_shop_`, `pk_agent_`, `pk_admin_`).
 * Only their SHA-256 hash is stored: a database leak does not leak working tokens, and because the
 * tokens are high-entropy a fast hash is enough (no password stretching needed).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'shop' | 'agent' | 'admin';

export const generateToken = (kind: TokenKind): string =>
  `pk_${kind}_${randomBytes(32).toString('base64url')}`;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Constant-time comparison of two hex digests (or any two strings), safe for different lengths. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

/** The part of a token that may be shown and logged (enough to tell two tokens apart). */
export const tokenPrefix = (token: string): string => {
  // The kind prefix ends at the second underscore; the random part is base64url and may itself
  // contain underscores, so the cut must not depend on the last one (that could keep the whole token).
  const kindEnd = token.indexOf('_', token.indexOf('_') + 1) + 1;
  return token.slice(0, kindEnd > 0 ? kindEnd + 4 : 8);
};
