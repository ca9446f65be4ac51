/**
 * Waking workers through the database: NOTIFY is delivered when the transaction that sent it
 * commits (never on rollback) to every process listening, so a job written in any transaction,
 * here or in another process, is picked up at once without polling for it.
 */
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './database.ts';

export const WAKE_CHANNEL = 'parley_worker';

/** Call inside the transaction that makes work due. */
export async function notifyWorkers(db: Db | Tx): Promise<void> {
  await db.execute(sql`select pg_notify(${WAKE_CHANNEL}, '')`);
}
