/**
 * PGlite runs PostgreSQL in single-user mode, where autovacuum never runs. Without it the space of
 * deleted and updated rows is never reused (webhook deliveries change state, endpoints count errors,
 * balances move), so the files grow for ever; and the planner has no statistics, so it takes every
 * filter for a handful of rows (the newest 50 logs of one function among 200,000: 42 ms sorted, 1.5 ms
 * analyzed). Two jobs do autovacuum's work on the embedded database, table by table, letting the
 * event loop turn between tables, since PGlite works on the server's thread:
 * - `VACUUM (ANALYZE)` of every table an hour after start and then daily;
 * - `ANALYZE` of the tables that grew since their last one, a minute after start and then every ten
 *   minutes, so that plans follow a table that fills up within the day (list_webhook_deliveries at
 *   10,000 deliveries took 17–34 ms with the statistics of an empty table, 3.7 ms after an ANALYZE).
 *   PGlite's activity counters (`n_mod_since_analyze`) stay at zero, so growth is read from the
 *   table's size on disk against the size its last ANALYZE recorded (`relpages`).
 * A shared PostgreSQL has autovacuum and no such jobs.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../app-deps.ts';
import { afterPendingIo } from '../lib/after-pending-io.ts';
import { createPeriodicJobSource, type JobSource } from '../lib/jobs/index.ts';
import { queryRows } from './database.ts';

const HOUR_MS = 60 * 60_000;
export const EMBEDDED_VACUUM_EVERY_MS = 24 * HOUR_MS;
export const EMBEDDED_VACUUM_FIRST_AFTER_MS = HOUR_MS;
export const EMBEDDED_ANALYZE_FIRST_AFTER_MS = 60_000;
export const EMBEDDED_ANALYZE_EVERY_MS = 10 * 60_000;

export interface VacuumReport {
  tables: number;
  ms: number;
  slowest: { table: string; ms: number } | null;
}

export const vacuumEmbeddedDatabase = (db: AppDeps['db'], signal?: AbortSignal): Promise<VacuumReport> =>
  eachTable(db, sql`TRUE`, (name) => sql`VACUUM (ANALYZE) ${sql.identifier(name)}`, signal);

/**
 * A table has grown enough to be analyzed again when it is a fifth larger than at its last ANALYZE,
 * and 10 pages (80 kB) at least: autovacuum's own threshold (10 % of the rows, and 50) counts
 * changes, which PGlite does not count; a table's pages only grow with rows written.
 */
const grown = sql`pg_relation_size(c.oid) / current_setting('block_size')::int >= c.relpages * 1.2 + 10`;

export const analyzeGrownTables = (db: AppDeps['db'], signal?: AbortSignal): Promise<VacuumReport> =>
  eachTable(db, grown, (name) => sql`ANALYZE ${sql.identifier(name)}`, signal);

/** Runs `statement` on each of Parley's tables that `where` keeps, yielding the thread between them. */
async function eachTable(
  db: AppDeps['db'],
  where: SQL,
  statement: (name: string) => SQL,
  signal: AbortSignal | undefined,
): Promise<VacuumReport> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND ${where} ORDER BY c.relname`,
  );
  const report: VacuumReport = { tables: 0, ms: 0, slowest: null };
  for (const { name } of tables) {
    await afterPendingIo();
    if (signal?.aborted === true) break;
    const began = performance.now();
    await db.execute(statement(name));
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

export const createEmbeddedAnalyzeJobSource = (deps: AppDeps): JobSource =>
  createPeriodicJobSource(deps, {
    name: 'embedded-analyze',
    firstAfterMs: EMBEDDED_ANALYZE_FIRST_AFTER_MS,
    everyMs: EMBEDDED_ANALYZE_EVERY_MS,
    async run(signal) {
      const report = await analyzeGrownTables(deps.db, signal);
      if (report.tables === 0) return;
      deps.logger.info(
        { tables: report.tables, ms: Math.round(report.ms), slowest_table: report.slowest?.table },
        'analyzed the embedded tables that grew',
      );
    },
  });
