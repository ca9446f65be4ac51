/**
 * What calls write into an endpoint's health (docs/crm-endpoints.md#errors-and-health): consecutive errors,
 * auto-disable after DISABLE_AFTER of them, the last error, the last success. Each write is one atomic
 * UPDATE, so concurrent calls (and processes) count every error exactly once. An error drops the
 * connector's cached copy of the row in every process, so the next call reads what was written.
 */
import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { CrmEndpointType } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { crmEndpoints } from '../../db/schema.ts';
import type { CrmCallError } from './call-errors.ts';
import { forgetEndpointForCall } from './endpoint-cache.ts';
import type { CrmEndpointRow } from './present.ts';

export const DISABLE_AFTER = 5;
/** A success after a success is news only this often: the hot path must not write on every call. */
export const SUCCESS_WRITE_INTERVAL_MS = 30_000;
const LAST_ERROR_MAX_CHARS = 1_000;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'logger' | 'invalidation'>;

/**
 * The row as the call read it still holds: a reset or new settings since then (both set updated_at)
 * make the call's outcome old news about settings that are gone.
 */
const unchangedSince = (row: CrmEndpointRow) =>
  and(eq(crmEndpoints.id, row.id), eq(crmEndpoints.updatedAt, row.updatedAt));

/** Whether a success must be written: it ends a run of errors, or the last one written is old. */
export function successIsNews(row: CrmEndpointRow, now: Date): boolean {
  return (
    row.consecutiveErrors > 0 ||
    row.lastSuccessAt === null ||
    now.getTime() - row.lastSuccessAt.getTime() >= SUCCESS_WRITE_INTERVAL_MS
  );
}

export async function recordCallSuccess(deps: Deps, row: CrmEndpointRow): Promise<void> {
  const now = deps.clock.now();
  if (!successIsNews(row, now)) return;
  const staleBefore = new Date(now.getTime() - SUCCESS_WRITE_INTERVAL_MS);
  await deps.db
    .update(crmEndpoints)
    .set({ consecutiveErrors: 0, lastSuccessAt: now })
    .where(
      and(
        unchangedSince(row),
        // A disabled endpoint is re-enabled by the probe or reset_crm_errors, never by a call in flight.
        eq(crmEndpoints.enabled, true),
        // Re-checked here: another call or process may have written it since this row was read.
        or(
          gt(crmEndpoints.consecutiveErrors, 0),
          isNull(crmEndpoints.lastSuccessAt),
          lte(crmEndpoints.lastSuccessAt, staleBefore),
        ),
      ),
    );
  // The connector's cached copy (endpoint-cache.ts) learns what was written, instead of being dropped
  // and read again in every process: a success changes nothing a call does, and another process's
  // older copy only makes it try this write once more, which the conditions above turn into a no-op.
  // With a thousand shops, dropping it cost a row read per shop every 30 s (bench/panel-shops.ts).
  row.consecutiveErrors = 0;
  row.lastSuccessAt = now;
}

const describeError = (error: CrmCallError) =>
  `${error.code}: ${error.message}`.slice(0, LAST_ERROR_MAX_CHARS);

/** Counts one error; the DISABLE_AFTER-th in a row disables the endpoint. */
export async function recordCallFailure(deps: Deps, row: CrmEndpointRow, error: CrmCallError): Promise<void> {
  const now = deps.clock.now();
  const at = sql`${now.toISOString()}::timestamptz`;
  const count = sql`${crmEndpoints.consecutiveErrors} + 1`;
  const [updated] = await deps.db
    .update(crmEndpoints)
    .set({
      consecutiveErrors: count,
      lastError: describeError(error),
      lastErrorAt: now,
      // Every right-hand side reads the row as it was before this update.
      enabled: sql`case when ${count} >= ${DISABLE_AFTER} then false else ${crmEndpoints.enabled} end`,
      disabledAt: sql`case when ${crmEndpoints.enabled} and ${count} >= ${DISABLE_AFTER} then ${at} else ${crmEndpoints.disabledAt} end`,
    })
    .where(unchangedSince(row))
    .returning({ consecutiveErrors: crmEndpoints.consecutiveErrors, enabled: crmEndpoints.enabled });
  await forgetEndpointForCall(deps, row.shopId);
  // Exactly one update sees the count reach the threshold, so this is logged once.
  if (updated !== undefined && !updated.enabled && updated.consecutiveErrors === DISABLE_AFTER) {
    logDisabled(deps, row.shopId, row.type, error);
  }
}

function logDisabled(deps: Deps, shopId: string, type: CrmEndpointType, error: CrmCallError) {
  deps.logger.warn(
    { shopId, type, code: error.code },
    `CRM endpoint disabled after ${DISABLE_AFTER} consecutive errors; the probe re-enables it when it answers well`,
  );
}

/** A probe got a good answer: the endpoint is back, with a clean error count. */
export async function reenableEndpoint(deps: Deps, row: CrmEndpointRow): Promise<boolean> {
  const reenabled = await deps.db
    .update(crmEndpoints)
    .set({ enabled: true, consecutiveErrors: 0, disabledAt: null, lastSuccessAt: deps.clock.now() })
    .where(and(unchangedSince(row), eq(crmEndpoints.enabled, false)))
    .returning({ id: crmEndpoints.id });
  await forgetEndpointForCall(deps, row.shopId);
  if (reenabled.length > 0) {
    deps.logger.info(
      { shopId: row.shopId, type: row.type },
      'CRM endpoint re-enabled: it answered the probe well',
    );
  }
  return reenabled.length > 0;
}
