/**
 * Carries the invalidation channel (lib/invalidation.ts) between processes: on PostgreSQL each message
 * is a NOTIFY on INVALIDATION_CHANNEL, which every process LISTENs to; a broken LISTEN connection, once
 * back, empties every cache, since messages sent meanwhile are lost. PGlite has one process: its
 * channel stays in-process.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { createInvalidationChannel, type InvalidationChannel } from '../lib/invalidation.ts';
import type { Database } from './database.ts';

export const INVALIDATION_CHANNEL = 'parley_invalidate';

export async function openInvalidationChannel(
  database: Database,
  logger: Logger,
): Promise<{ channel: InvalidationChannel; close(): Promise<void> }> {
  if (database.kind === 'pglite') return { channel: createInvalidationChannel(), close: async () => {} };
  const channel = createInvalidationChannel({
    broadcast: async (payload) => {
      await database.db.execute(sql`select pg_notify(${INVALIDATION_CHANNEL}, ${payload})`);
    },
    onBroadcastError: (error) =>
      logger.error(
        { err: error },
        'could not tell the other processes about a change; they may use their cached copy until it expires',
      ),
  });
  const close = await database.listen(INVALIDATION_CHANNEL, (payload) => channel.receive(payload));
  return { channel, close };
}
