/**
 * PGlite runs PostgreSQL in single-user mode, where autovacuum never runs. Without it the space of
 * deleted and updated rows is never reused (webhook deliveries change state, endpoints count errors,
 * balances move), so the files grow for ever; and the planner has no statistics, so it takes every
 * filter for a handful of rows (the newest 50 logs of one function among 200,000: 42 ms sorted, 1.5 ms
 * analyzed). This job does autovacuum's work on the embedded database: `VACUUM (ANALYZE)` table by
 * table, an hour after start and then daily, letting the event loop turn between tables, since
 * PGlite works on the server's thread. A shared PostgreSQL has autovacuum and no such job.
 */
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../app-deps.ts';
import { afterPendingIo } from '../lib/after-pending-io.ts';
import { createPeriodicJobSource, type JobSource } from '../worker/index.ts';
import { queryRows } from './database.ts';

const HOUR_MS = 60 * 60_000;
export const EMBEDDED_VACUUM_EVERY_MS = 24 * HOUR_MS;
export const EMBEDDED_VACUUM_FIRST_AFTER_MS = HOUR_MS;

export interface VacuumReport {
  tables: number;
  ms: number;
  slowest: { table: string; ms: number } | null;
}

export async function vacuumEmbeddedDatabase(db: AppDeps['db'], signal?: AbortSignal): Promise<VacuumReport> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`,
  );
  const report: VacuumReport = { tables: 0, ms: 0, slowest: null };
  for (const { name } of tables) {
    await afterPendingIo();
    if (signal?.aborted === true) break;
    const began = performance.now();
    await db.execute(sql`VACUUM (ANALYZE) ${sql.identifier(name)}`);
    const ms = performance.now() - began;
    report.tables++;
    report.ms += ms;
    if (report.slowest === null || ms > report.slowest.ms) report.slowest = { table: name, ms };
  }
  return report;
}

export const createEmbeddedVacuumJobSource = (deps: AppDeps): JobSource =>
  createPeriodicJobSource(deps, {
    name: 'embedded-vacuum',
    firstAfterMs: EMBEDDED_VACUUM_FIRST_AFTER_MS,
    everyMs: EMBEDDED_VACUUM_EVERY_MS,
    async run(signal) {
      const report = await vacuumEmbeddedDatabase(deps.db, signal);
      deps.logger.info(
        {
          tables: report.tables,
          ms: Math.round(report.ms),
          slowest_table: report.slowest?.table,
          slowest_ms: report.slowest === null ? undefined : Math.round(report.slowest.ms),
        },
        'vacuumed and analyzed the embedded database',
      );
    },
  });
