/**
 * API tokens are 256-bit random strings with a readable prefix (`pk_shop_`, `pk_agent_`, `pk_admin_`).
 * Only their SHA-256 hash is stored: a database leak does not leak working tokens, and because the
 * tokens are high-entropy a fast hash is enough (no password stretching needed).
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'shop' | 'agent' | 'admin';

export const generateToken = (kind: TokenKind): string =>
  `pk_${kind}_${randomBytes(32).toString('base64url')}`;

// One-shot hash() (Node 20.12+): no Hash object per call, and every API request hashes its token.
export const hashToken = (token: string): string => hash('sha256', token, 'hex');

/** Constant-time comparison of two hex digests (or any two strings), safe for different lengths. */
export function safeEqual(a: string, b: string): boolean {
  const left = hash('sha256', a, 'buffer');
  const right = hash('sha256', b, 'buffer');
  return timingSafeEqual(left, right) && a.length === b.length;
}

/** The part of a token that may be shown and logged (enough to tell two tokens apart). */
export const tokenPrefix = (token: string): string => {
  // The kind prefix ends at the second underscore; the random part is base64url and may itself
  // contain underscores, so the cut must not depend on the last one (that could keep the whole token).
  const kindEnd = token.indexOf('_', token.indexOf('_') + 1) + 1;
  return token.slice(0, kindEnd > 0 ? kindEnd + 4 : 8);
};
