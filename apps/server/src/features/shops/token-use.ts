/**
 * When a token was last used (get_api_key, GET /api/agents). Writing it on every request would add a
 * write to every side-panel lookup, so it is written at most once per USE_WRITE_INTERVAL_MS per token
 * and process: the time shown is accurate to that interval.
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { apiTokens } from '../../db/schema.ts';
import type { KnownToken } from './principal-cache.ts';

export const USE_WRITE_INTERVAL_MS = 60_000;

export async function recordTokenUse(
  deps: Pick<AppDeps, 'db' | 'clock' | 'logger'>,
  known: KnownToken,
): Promise<void> {
  const now = deps.clock.now();
  if (known.lastUsedAt !== null && now.getTime() - known.lastUsedAt < USE_WRITE_INTERVAL_MS) return;
  // Set before the write, so concurrent requests with this token write it once.
  known.lastUsedAt = now.getTime();
  const staleBefore = new Date(now.getTime() - USE_WRITE_INTERVAL_MS);
  try {
    await deps.db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      // Another process may have written it in the meantime.
      .where(
        and(
          eq(apiTokens.id, known.tokenId),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, staleBefore)),
        ),
      );
  } catch (error) {
    // The request itself is authenticated: a lost "last used" time must not refuse it.
    deps.logger.warn({ err: error, tokenId: known.tokenId }, 'could not record when a token was last used');
  }
}
