/**
 * The lookup audit (SPEC §2): who looked up which phone, when, and whether the cache answered. Rows
 * are buffered and written in batches, so recording adds no database round trip to a lookup; a read
 * flushes first, so a shop sees its lookups up to now (those made through this process).
 */
import type { PanelAuditResponse, PanelCallStatus } from '@parley/contract';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { panelLookupAudit } from '../../db/schema.ts';
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
 * One statement with one array parameter per column. drizzle's multi-row insert binds six parameters
 * per row and costs about three times as much CPU on PGlite, where the database runs on the lookups' thread.
 */
async function insertAuditRows(db: AppDeps['db'], rows: readonly LookupAuditEntry[]): Promise<void> {
  const column = <T>(pick: (row: LookupAuditEntry) => T) => sql.param(rows.map(pick));
  await db.execute(sql`
    INSERT INTO ${panelLookupAudit} (shop_id, agent_id, phone, status, cached, looked_up_at)
    SELECT * FROM unnest(
      ${column((row) => row.shopId)}::text[],
      ${column((row) => row.agentId)}::text[],
      ${column((row) => row.phone)}::text[],
      ${column((row) => row.status)}::text[],
      ${column((row) => row.cached)}::boolean[],
      ${column((row) => row.at.toISOString())}::timestamptz[]
    )`);
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
      write: (rows) => insertAuditRows(deps.db, rows),
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
    const rows = await this.#db
      .select()
      .from(panelLookupAudit)
      .where(
        and(
          eq(panelLookupAudit.shopId, shopId),
          query.phone === undefined ? undefined : eq(panelLookupAudit.phone, query.phone),
        ),
      )
      .orderBy(desc(panelLookupAudit.lookedUpAt), desc(panelLookupAudit.id))
      .limit(query.limit);
    return {
      entries: rows.map((row) => ({
        phone: row.phone,
        by: presentActor(row.agentId),
        status: row.status,
        cached: row.cached,
        at: row.lookedUpAt.toISOString(),
      })),
    };
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
