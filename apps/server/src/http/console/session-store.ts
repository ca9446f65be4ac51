/**
 * Console sessions: a random id in the browser's HttpOnly cookie, its hash and the sealed token it
 * was opened with in the database (so every process of a PostgreSQL deployment sees a sign-out).
 * Nothing here trusts the session alone: the bridge re-authenticates the token on every request.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { consoleSessions } from '../../db/schema.ts';
import { hashToken } from '../../lib/tokens.ts';

/** How long a sign-in lasts, whatever the activity: a forgotten laptop does not stay signed in for days. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface OpenSession {
  id: string;
  /** The bearer token the session was opened with, unsealed for this request only. */
  token: string;
  expiresAt: Date;
}

type SessionDeps = Pick<AppDeps, 'db' | 'secrets' | 'clock'>;

export async function openSession(
  deps: SessionDeps,
  token: string,
  shopId: string | null,
): Promise<{ id: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Sign-ins are rare, so this is where expired rows are swept; no timer needed.
  await deps.db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now));
  await deps.db.insert(consoleSessions).values({
    idHash: hashToken(id),
    shopId,
    sealedToken: deps.secrets.seal(token),
    createdAt: now,
    expiresAt,
  });
  return { id, expiresAt };
}

/** The live session of a cookie value, or null when it is unknown, signed out or expired. */
export async function findSession(deps: SessionDeps, id: string): Promise<OpenSession | null> {
  if (id.length !== 43) return null;
  const [row] = await deps.db
    .select()
    .from(consoleSessions)
    .where(eq(consoleSessions.idHash, hashToken(id)));
  if (row === undefined) return null;
  if (row.expiresAt.getTime() <= deps.clock.now().getTime()) {
    await closeSession(deps, id);
    return null;
  }
  return { id, token: deps.secrets.open(row.sealedToken), expiresAt: row.expiresAt };
}

export async function closeSession(deps: Pick<AppDeps, 'db'>, id: string): Promise<void> {
  await deps.db.delete(consoleSessions).where(eq(consoleSessions.idHash, hashToken(id)));
}

/**
 * The CSRF token of a session: derived, not stored, so it cannot drift from the session and any
 * process can check it. The page reads it from GET /api/console/session and sends it as a header.
 */
export const csrfTokenOf = (signingKey: Buffer, sessionId: string): string =>
  createHmac('sha256', signingKey).update(`console csrf v1.${sessionId}`).digest('base64url');
