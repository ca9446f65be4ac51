/**
 * The lookup audit (docs/side-panel.md#the-lookup-audit): who looked up which phone, when, and whether the
 * cache answered. Lookups are buffered and written in batches, one row per shop and batch, so recording adds
 * no database round trip to a lookup; a read flushes first, so a shop sees its lookups up to now (those made
 * through this process).
 */
import type { PanelAuditResponse, PanelCallStatus } from '@parley/contract';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { queryRows } from '../../db/database.ts';
import { panelLookupAuditBatches } from '../../db/schema.ts';
import { plannedPerExecution } from '../../db/planned-per-execution.ts';
import { BatchedWriter } from './batched-writer.ts';
import { presentActor } from './links.ts';

export interface LookupAuditEntry {
  shopId: string;
  /** Null for the shop token. */
  agentId: string | null;
  phone: string;
  status: PanelCallStatus;
  cached: boolean;
  at: Date;
}

/**
 * One row per shop of the batch (schema.ts says why), in one statement of six array parameters
 * whatever the number of shops: the rows are grouped by the database. Built row by row, a batch
 * spread over 1,000 shops cost drizzle and PGlite a fragment and eight parameters per lookup
 * (bench/panel-shops.ts).
 */
async function insertAuditBatch(db: AppDeps['db'], entries: readonly LookupAuditEntry[]): Promise<void> {
  const column = <T>(pick: (entry: LookupAuditEntry) => T) => sql.param(entries.map(pick));
  await db.execute(sql`
    INSERT INTO ${panelLookupAuditBatches}
      (shop_id, oldest_at, newest_at, agent_ids, phones, statuses, cached, looked_up_at)
    SELECT e.shop_id, min(e.at), max(e.at), array_agg(e.agent_id ORDER BY e.n),
      array_agg(e.phone ORDER BY e.n), array_agg(e.status ORDER BY e.n),
      array_agg(e.cached ORDER BY e.n), array_agg(e.at ORDER BY e.n)
    FROM unnest(
      ${column((entry) => entry.shopId)}::text[], ${column((entry) => entry.agentId)}::text[],
      ${column((entry) => entry.phone)}::text[], ${column((entry) => entry.status)}::text[],
      ${column((entry) => entry.cached)}::boolean[], ${column((entry) => entry.at.toISOString())}::timestamptz[]
    ) WITH ORDINALITY AS e (shop_id, agent_id, phone, status, cached, at, n)
    GROUP BY e.shop_id`);
}

interface AuditRow {
  agent_id: string | null;
  phone: string;
  status: PanelCallStatus;
  cached: boolean;
  /** ISO 8601 in UTC, as the API shows it (raw statements get timestamps as PostgreSQL's text). */
  at: string;
}

/**
 * The newest `limit` lookups of a shop (of one phone), from the fewest batches that must hold them.
 * The `limit` newest matching batches (by their newest lookup) each hold a matching lookup no older
 * than the oldest lookup among them, so no batch whose newest lookup is older than that can hold one
 * of the newest `limit`. Batches overlap in time when several processes write them.
 *
 * How each part finds its rows (docs/decisions/panel-lookup-cache.md has the measurements):
 * - A phone is matched with `phones @> ARRAY[phone]`, which the GIN index on `phones` answers; `= ANY`
 *   cannot use it and read every batch of the shop.
 * - Without a phone, the second read bounds `newest_at` on both sides by values of the first. The
 *   planner cannot know values computed in the same statement; a single bound it takes for a third of
 *   the table and scans all of it, a pair of bounds for a narrow range that the index reads.
 * - With a phone, the second read keeps the single bound, so that it takes the phone's few batches
 *   from the GIN index and does not also walk the shop's whole range of the other index.
 * - `NULLS LAST` is the btree index's order: with plain `DESC` (nulls first) the planner sorted all the
 *   shop's batches instead.
 */
export function newestLookups(shopId: string, phone: string | undefined, limit: number) {
  const batches = sql`${panelLookupAuditBatches} AS b`;
  const matching =
    phone === undefined
      ? sql`b.shop_id = ${shopId}`
      : sql`b.shop_id = ${shopId} AND b.phones @> ARRAY[${phone}::text]`;
  const floor = sql`(SELECT min(oldest_at) FROM newest)`;
  const recent =
    phone === undefined
      ? sql`b.newest_at BETWEEN ${floor} AND (SELECT max(newest_at) FROM newest)`
      : sql`b.newest_at >= ${floor}`;
  // The phone's share of the batches decides which index pays: planned for each phone, not once for all.
  return plannedPerExecution(sql`
    WITH newest AS (
      SELECT b.oldest_at, b.newest_at FROM ${batches} WHERE ${matching}
      ORDER BY b.newest_at DESC NULLS LAST LIMIT ${limit}
    )
    SELECT e.agent_id, e.phone, e.status, e.cached,
      to_char(e.looked_up_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
    FROM ${batches},
      unnest(b.agent_ids, b.phones, b.statuses, b.cached, b.looked_up_at) WITH ORDINALITY
        AS e (agent_id, phone, status, cached, looked_up_at, n)
    WHERE ${matching} AND ${recent}
      ${phone === undefined ? sql`` : sql`AND e.phone = ${phone}`}
    ORDER BY e.looked_up_at DESC, b.id DESC, e.n DESC
    LIMIT ${limit}`);
}

/** Attempts at writing one batch before it is dropped (and logged with its size). */
const MAX_WRITE_ATTEMPTS = 3;

export class LookupAudit {
  readonly #db: AppDeps['db'];
  readonly #writer: BatchedWriter<LookupAuditEntry>;

  constructor(deps: Pick<AppDeps, 'db' | 'logger'>, options: { batchRows: number; flushMs: number }) {
    this.#db = deps.db;
    this.#writer = new BatchedWriter({
      maxRows: options.batchRows,
      intervalMs: options.flushMs,
      maxAttempts: MAX_WRITE_ATTEMPTS,
      write: (entries) => insertAuditBatch(deps.db, entries),
      onError: (error, rows, dropped) =>
        deps.logger.error(
          { err: error, rows },
          dropped
            ? 'lookup audit rows lost after repeated write failures'
            : 'writing lookup audit rows failed; will retry',
        ),
    });
  }

  record(entry: LookupAuditEntry): void {
    this.#writer.push(entry);
  }

  /** Newest first; `phone` (E.164) narrows to one phone. */
  async read(
    shopId: string,
    query: { phone?: string | undefined; limit: number },
  ): Promise<PanelAuditResponse> {
    await this.#writer.flush();
    const rows = await queryRows<AuditRow>(this.#db, newestLookups(shopId, query.phone, query.limit));
    return {
      entries: rows.map((row) => ({
        phone: row.phone,
        by: presentActor(row.agent_id),
        status: row.status,
        cached: row.cached,
        at: row.at,
      })),
    };
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
