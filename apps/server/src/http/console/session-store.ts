/**
 * Console sessions. The cookie carries `<session id>.<the token, AES-256-GCM encrypted>`; the
 * database row (console_sessions) holds only hashes of the id and of the token. So every request can
 * re-authenticate the very token the user signed in with (a rotated or revoked token ends the
 * session), a database leak opens nothing, and a stolen cookie stops working once its row is gone
 * (signed out, expired), wherever in a PostgreSQL deployment that happened.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { consoleSessions } from '../../db/schema.ts';
import { hashToken, safeEqual } from '../../lib/tokens.ts';

/** How long a sign-in lasts, whatever the activity: a forgotten laptop does not stay signed in for days. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface OpenSession {
  id: string;
  /** The bearer token the session was opened with, decrypted for this request only. */
  token: string;
  expiresAt: Date;
}

type SessionDeps = Pick<AppDeps, 'db' | 'signingKey' | 'clock'>;

/** Derived so the signing key itself never encrypts anything. */
const cookieKey = (signingKey: Buffer) =>
  createHmac('sha256', signingKey).update('console cookie v1').digest();

/** The token, encrypted under the session id (as additional data): a cookie's halves cannot be swapped. */
function encryptToken(signingKey: Buffer, id: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cookieKey(signingKey), iv).setAAD(Buffer.from(id));
  const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
}

function decryptToken(signingKey: Buffer, id: string, sealed: string): string | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 29) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', cookieKey(signingKey), bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(id)).setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export async function openSession(
  deps: SessionDeps,
  token: string,
  shopId: string | null,
): Promise<{ cookie: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Sign-ins are rare, so this is where expired rows are swept; no timer needed.
  await deps.db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now));
  await deps.db
    .insert(consoleSessions)
    .values({ idHash: hashToken(id), shopId, tokenHash: hashToken(token), createdAt: now, expiresAt });
  return { cookie: `${id}.${encryptToken(deps.signingKey, id, token)}`, expiresAt };
}

/** The live session of a cookie value, or null when it is malformed, unknown, signed out or expired. */
export async function findSession(deps: SessionDeps, cookie: string): Promise<OpenSession | null> {
  const [id, sealed] = cookie.split('.');
  if (id === undefined || sealed === undefined || id.length !== 43) return null;
  const token = decryptToken(deps.signingKey, id, sealed);
  if (token === null) return null;
  const [row] = await deps.db
    .select()
    .from(consoleSessions)
    .where(eq(consoleSessions.idHash, hashToken(id)));
  if (row === undefined || !safeEqual(row.tokenHash, hashToken(token))) return null;
  if (row.expiresAt.getTime() <= deps.clock.now().getTime()) {
    await closeSession(deps, id);
    return null;
  }
  return { id, token, expiresAt: row.expiresAt };
}

/** Ends a session by its id (the part of the cookie before the dot). */
export async function closeSession(deps: Pick<AppDeps, 'db'>, id: string): Promise<void> {
  await deps.db.delete(consoleSessions).where(eq(consoleSessions.idHash, hashToken(id)));
}

/** The session id of a cookie value, for signing out a cookie that no longer opens. */
export const sessionIdOf = (cookie: string): string => cookie.split('.')[0] ?? '';

/**
 * The CSRF token of a session: derived, not stored, so it cannot drift from the session and any
 * process can check it. The page reads it from GET /api/console/session and sends it as a header.
 */
export const csrfTokenOf = (signingKey: Buffer, sessionId: string): string =>
  createHmac('sha256', signingKey).update(`console csrf v1.${sessionId}`).digest('base64url');
