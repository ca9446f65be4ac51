/**
 * Carries the invalidation channel (lib/invalidation.ts) between processes: on PostgreSQL each message
 * is a NOTIFY on INVALIDATION_CHANNEL, which every process LISTENs to; a broken LISTEN connection, once
 * back, empties every cache, since messages sent meanwhile are lost. A NOTIFY that could not be sent
 * (the database went away just after the change) is made up for: every RESEND_EVERY_MS until the
 * database answers, one message that every process reads as "empty every cache". Caches can then keep
 * their copies for minutes, which the cost of a thousand shops needs (bench/panel-shops.ts). PGlite
 * has one process: its channel stays in-process.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { createInvalidationChannel, type InvalidationChannel } from '../lib/invalidation.ts';
import type { Database } from './database.ts';

export const INVALIDATION_CHANNEL = 'parley_invalidate';
const RESEND_EVERY_MS = 1_000;
/** Not a message of lib/invalidation.ts: every process that receives it empties every cache. */
const EMPTY_EVERY_CACHE = 'empty every cache';

export async function openInvalidationChannel(
  database: Database,
  logger: Logger,
): Promise<{ channel: InvalidationChannel; close(): Promise<void> }> {
  if (database.kind === 'pglite') return { channel: createInvalidationChannel(), close: async () => {} };
  const notify = async (payload: string) => {
    await database.db.execute(sql`select pg_notify(${INVALIDATION_CHANNEL}, ${payload})`);
  };
  let resendTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const resendLater = () => {
    if (closed) return;
    resendTimer ??= setTimeout(() => {
      resendTimer = undefined;
      notify(EMPTY_EVERY_CACHE).then(
        () => logger.info('the database answers again: told the other processes to empty their caches'),
        resendLater,
      );
    }, RESEND_EVERY_MS);
  };
  const channel = createInvalidationChannel({
    broadcast: async (payload) => {
      try {
        await notify(payload);
      } catch (error) {
        resendLater();
        throw error;
      }
    },
    onBroadcastError: (error) =>
      logger.error(
        { err: error },
        'could not tell the other processes about a change; telling them to empty their caches once the database answers',
      ),
  });
  const stopListening = await database.listen(INVALIDATION_CHANNEL, (payload) => channel.receive(payload));
  return {
    channel,
    close: async () => {
      closed = true;
      clearTimeout(resendTimer);
      await stopListening();
    },
  };
}
