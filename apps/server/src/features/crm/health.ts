/**
 * Endpoint health over MCP (docs/crm-endpoints.md#errors-and-health): what `get_crm_health_status` reports
 * and what `reset_crm_errors` clears. The CRM connector writes the counters (health-record.ts) and keeps
 * latency in memory (latency.ts); this file only reads and resets.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { crmEndpoints } from '../../db/schema.ts';
import type { ChangePlan } from '../tool.ts';
import { forgetEndpointForCall } from './endpoint-cache.ts';
import { crmLatencySummary } from './latency.ts';
import { presentHealth, type CrmEndpointRow } from './present.ts';
import { nextProbeAt } from './probe-schedule.ts';
import { configuredTypes, selectEndpoints, unconfiguredTypes } from './store.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'invalidation'>;

const healthStatus = (row: CrmEndpointRow) => {
  if (!row.enabled) return 'disabled';
  if (row.consecutiveErrors > 0) return 'failing';
  return row.lastSuccessAt === null ? 'no calls yet' : 'ok';
};

/** When the probe calls a disabled endpoint next; it may run a little later (worker poll interval). */
const nextProbe = (row: CrmEndpointRow) =>
  row.enabled || row.disabledAt === null ? null : nextProbeAt(row.disabledAt, row.lastProbeAt).toISOString();

export async function getCrmHealthStatus(deps: Pick<AppDeps, 'db' | 'invalidation'>, shopId: string) {
  const rows = await selectEndpoints(deps.db, shopId);
  return {
    endpoints: rows.map((row) => ({
      type: row.type,
      status: healthStatus(row),
      ...presentHealth(row),
      next_probe_at: nextProbe(row),
      latency: crmLatencySummary(deps, shopId, row.type),
    })),
    not_configured: unconfiguredTypes(rows),
  };
}

const needsReset = (row: CrmEndpointRow) => !row.enabled || row.consecutiveErrors > 0;

/**
 * Which endpoints a reset re-enables and zeroes; `commit` resets exactly those (the last error stays as
 * history), even if another one failed meanwhile: that one was not in the preview.
 */
export async function planCrmErrorReset(deps: Deps, shopId: string): Promise<ChangePlan> {
  const affected = (await selectEndpoints(deps.db, shopId)).filter(needsReset);
  const types = configuredTypes(affected);
  const byType = (present: (row: CrmEndpointRow) => unknown) =>
    Object.fromEntries(affected.map((row) => [row.type, present(row)]));
  const summary =
    types.length === 0
      ? 'nothing to reset: no endpoint is disabled or has errors'
      : `re-enable and zero the error counters of: ${types.join(', ')}`;
  return {
    summary,
    consequence:
      types.length === 0
        ? 'Nothing changes.'
        : 'Parley calls these endpoints again from the next call on; if they keep failing they are disabled again.',
    before: byType((row) => ({ enabled: row.enabled, consecutive_errors: row.consecutiveErrors })),
    after: byType(() => ({ enabled: true, consecutive_errors: 0 })),
    commit: async () => {
      const reset =
        types.length === 0
          ? []
          : await deps.db
              .update(crmEndpoints)
              .set({ enabled: true, consecutiveErrors: 0, disabledAt: null, updatedAt: deps.clock.now() })
              .where(and(eq(crmEndpoints.shopId, shopId), inArray(crmEndpoints.type, types)))
              .returning({ type: crmEndpoints.type });
      await forgetEndpointForCall(deps, shopId);
      return { status: 'applied', summary, reset: reset.map((row) => row.type).sort() };
    },
  };
}
