/**
 * The lookup audit's retention: batches whose newest lookup is older than
 * PARLEY_LOOKUP_AUDIT_RETENTION_DAYS are deleted; without it the audit would grow with every lookup, for ever.
 *
 * It runs as a job source of the worker, in every process, an hour after start and hourly from then
 * on: an hourly sweep of what fell out of the window is cheap, and starting later keeps restarts from
 * sweeping each time. Each shop is swept on its own through the (shop, newest) index, in chunks that
 * skip rows another process is deleting, so processes on one PostgreSQL never wait on each other.
 */
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { queryRows } from '../../db/database.ts';
import { afterPendingIo } from '../../lib/after-pending-io.ts';
import { panelLookupAuditBatches, shops } from '../../db/schema.ts';
import { createPeriodicJobSource, type JobSource } from '../../lib/jobs/index.ts';

export const AUDIT_SWEEP_INTERVAL_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** Batches deleted per statement: short transactions, whatever the backlog (a first sweep after an upgrade). */
const CHUNK_BATCHES = 2_000;

export interface AuditSweep {
  /** Lookups deleted, and the batches that held them. */
  lookups: number;
  batches: number;
}

/** Lookups older than this are past the retention (a batch goes once its newest lookup is). */
export const auditRetentionCutoff = (deps: Pick<AppDeps, 'clock' | 'config'>): Date =>
  new Date(deps.clock.now().getTime() - deps.config.PARLEY_LOOKUP_AUDIT_RETENTION_DAYS * DAY_MS);

/**
 * Deletes the oldest batches of a shop from `from` on (inclusive), and says up to when it went. Each
 * chunk starts where the last one ended: deleted rows stay in the index until a vacuum, and a scan
 * from the oldest would walk past all of them again on every chunk. `NULLS FIRST` makes the order the
 * index's, read backwards (it is `newest_at DESC NULLS LAST`); another order would sort every old batch.
 */
async function deleteChunk(db: AppDeps['db'], shopId: string, cutoff: Date, from: string | null) {
  const [row] = await queryRows<{ batches: number; lookups: number; reached: string | null }>(
    db,
    sql`
      WITH doomed AS (
        SELECT id FROM ${panelLookupAuditBatches}
        WHERE shop_id = ${shopId} AND newest_at < ${cutoff.toISOString()}::timestamptz
          ${from === null ? sql`` : sql`AND newest_at >= ${from}::timestamptz`}
        ORDER BY newest_at ASC NULLS FIRST
        LIMIT ${CHUNK_BATCHES}
        FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM ${panelLookupAuditBatches} AS b USING doomed WHERE b.id = doomed.id
        RETURNING cardinality(b.phones) AS lookups, b.newest_at
      )
      SELECT count(*)::int AS batches, coalesce(sum(lookups), 0)::int AS lookups, max(newest_at)::text AS reached
      FROM gone`,
  );
  return { batches: row?.batches ?? 0, lookups: row?.lookups ?? 0, reached: row?.reached ?? null };
}

/** Deletes every shop's audit batches older than `cutoff`; stops between chunks once `signal` aborts. */
export async function pruneLookupAudit(
  deps: Pick<AppDeps, 'db' | 'databaseKind'>,
  cutoff: Date,
  signal?: AbortSignal,
): Promise<AuditSweep> {
  const sweep: AuditSweep = { lookups: 0, batches: 0 };
  // PGlite runs no autovacuum, so it has no statistics unless told (see the end too).
  const embedded = deps.databaseKind === 'pglite';
  let analyzed = false;
  const shopIds = await deps.db.select({ id: shops.id }).from(shops);
  for (const { id } of shopIds) {
    for (let from: string | null = null; ;) {
      // PGlite answers on this thread through promises alone: without a turn of the event loop between
      // deletes, a backlog would hold every request until the whole sweep is done.
      await afterPendingIo();
      if (signal?.aborted === true) return sweep;
      const chunk = await deleteChunk(deps.db, id, cutoff, from);
      sweep.batches += chunk.batches;
      sweep.lookups += chunk.lookups;
      if (chunk.batches < CHUNK_BATCHES) break;
      from = chunk.reached;
      // A backlog (a first sweep, a shorter retention): without statistics the planner takes the
      // bounded range for a few rows and sorts every old batch for each delete. Once a sweep, since
      // ANALYZE reads its sample from across the table (~400 ms at two million batches, the thread held).
      if (embedded && !analyzed) {
        await deps.db.execute(sql`ANALYZE ${panelLookupAuditBatches}`);
        analyzed = true;
      }
    }
  }
  // Without VACUUM the space of deleted rows would never be reused: the file would grow all the same. An
  // hour's worth of deleted rows costs a few milliseconds (too few to scan the indexes for).
  if (embedded && sweep.batches > 0) await deps.db.execute(sql`VACUUM ${panelLookupAuditBatches}`);
  return sweep;
}

export const createAuditRetentionJobSource = (deps: AppDeps): JobSource =>
  createPeriodicJobSource(deps, {
    name: 'lookup-audit-retention',
    firstAfterMs: AUDIT_SWEEP_INTERVAL_MS,
    everyMs: AUDIT_SWEEP_INTERVAL_MS,
    async run(signal) {
      const cutoff = auditRetentionCutoff(deps);
      const sweep = await pruneLookupAudit(deps, cutoff, signal);
      if (sweep.batches > 0) {
        deps.logger.info(
          { lookups: sweep.lookups, batches: sweep.batches, before: cutoff.toISOString() },
          'deleted lookup audit entries past the retention',
        );
      }
    },
  });
