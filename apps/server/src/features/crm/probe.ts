/**
 * The self-healing probe (docs/crm-endpoints.md#errors-and-health): a disabled endpoint is called now and
 * then with a harmless request (probe-schedule.ts says when) and re-enabled once it answers 200 with a usable
 * answer (`found: false` is a good answer). It runs as a job source of the worker, whose loop, limits and
 * shutdown it shares; `probeDisabledCrmEndpoints` runs whatever is due at once.
 *
 * Each probe is claimed by moving `last_probe_at` with a compare-and-set UPDATE, committed before
 * the call: with several processes on one PostgreSQL, exactly one of them probes a given endpoint.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { CrmEndpointType } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { crmEndpoints } from '../../db/schema.ts';
import { pickWithinLimits, type ClaimedRun, type ClaimLimits, type JobSource } from '../../lib/jobs/index.ts';
import type { CrmErrorCode } from './call-errors.ts';
import { exchangeWithCrm } from './exchange.ts';
import { recordCallFailure, reenableEndpoint } from './health-record.ts';
import { openStoredTarget } from './open-target.ts';
import type { CrmEndpointRow } from './present.ts';
import { nextProbeAt } from './probe-schedule.ts';
import { CRM_TEST_PHONE, CRM_TEST_QUERY, sampleCrmParams } from './sample-params.ts';
import { selectDisabledEndpoints, type EndpointWithSecret } from './store.ts';

export interface ProbeResult {
  shopId: string;
  type: CrmEndpointType;
  reenabled: boolean;
  /** Why it is still disabled; CRM_BUSY when the shop's gate was full and the probe waits for its next turn. */
  error?: CrmErrorCode | 'CRM_BUSY';
}

// The probe calls the CRM, not the shop's webhook receiver: its own concurrency key per shop.
const keyOf = (row: CrmEndpointRow) => `${row.shopId}/crm-probe`;

const dueAt = (row: CrmEndpointRow) =>
  // selectDisabledEndpoints only returns rows with disabled_at set.
  nextProbeAt(row.disabledAt ?? row.updatedAt, row.lastProbeAt);

async function selectDue(deps: AppDeps, now: Date): Promise<EndpointWithSecret[]> {
  const disabled = await selectDisabledEndpoints(deps.db);
  return disabled
    .filter(({ endpoint }) => dueAt(endpoint) <= now)
    .sort((a, b) => dueAt(a.endpoint).getTime() - dueAt(b.endpoint).getTime());
}

/** Compare-and-set on last_probe_at: false when another process claimed this probe first. */
async function claimProbe(deps: AppDeps, row: CrmEndpointRow, now: Date): Promise<boolean> {
  const claimed = await deps.db
    .update(crmEndpoints)
    .set({ lastProbeAt: now })
    .where(
      and(
        eq(crmEndpoints.id, row.id),
        eq(crmEndpoints.enabled, false),
        row.lastProbeAt === null
          ? isNull(crmEndpoints.lastProbeAt)
          : eq(crmEndpoints.lastProbeAt, row.lastProbeAt),
      ),
    )
    .returning({ id: crmEndpoints.id });
  return claimed.length > 0;
}

/** One probe; writes nothing once `signal` aborts (the worker gave up on it at shutdown). */
async function runProbe(
  deps: AppDeps,
  stored: EndpointWithSecret,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const row = stored.endpoint;
  const params = sampleCrmParams(row.type, {
    phone: CRM_TEST_PHONE,
    query: CRM_TEST_QUERY,
    now: deps.clock.now(),
  });
  const exchange = await exchangeWithCrm(deps, row.shopId, openStoredTarget(deps, stored), row.type, params);
  const probed = { shopId: row.shopId, type: row.type };
  if (signal?.aborted === true) return { ...probed, reenabled: false };
  // Nothing was sent: not news about the endpoint. The claim moved last_probe_at, so the schedule
  // (probe-schedule.ts) brings the next try, when the shop's live calls may have left room.
  if (exchange.status === 'busy') return { ...probed, reenabled: false, error: 'CRM_BUSY' };
  const { result } = exchange.value;
  if (result.ok) return { ...probed, reenabled: await reenableEndpoint(deps, row) };
  // Still failing: the error is news (it may differ from the one that disabled the endpoint).
  await recordCallFailure(deps, row, result.error);
  return { ...probed, reenabled: false, error: result.error.code };
}

async function claimDue(deps: AppDeps, limits?: ClaimLimits): Promise<EndpointWithSecret[]> {
  const now = deps.clock.now();
  const due = (await selectDue(deps, now)).map((stored) => ({ key: keyOf(stored.endpoint), stored }));
  const picked = limits === undefined ? due : pickWithinLimits(due, limits);
  const claimed: EndpointWithSecret[] = [];
  for (const { stored } of picked) {
    if (await claimProbe(deps, stored.endpoint, now)) claimed.push(stored);
  }
  return claimed;
}

/** Probes every disabled endpoint that is due now, all at once; what tests and operators call. */
export async function probeDisabledCrmEndpoints(deps: AppDeps): Promise<ProbeResult[]> {
  const claimed = await claimDue(deps);
  return Promise.all(claimed.map((stored) => runProbe(deps, stored)));
}

export function createCrmProbeJobSource(deps: AppDeps): JobSource {
  return {
    name: 'crm-probe',
    scheduledOnly: true,
    async claim(limits) {
      const claimed = await claimDue(deps, limits);
      return claimed.map((stored): ClaimedRun => ({
        key: keyOf(stored.endpoint),
        label: `crm probe ${stored.endpoint.shopId} ${stored.endpoint.type}`,
        run: async (signal) => {
          await runProbe(deps, stored, signal);
        },
      }));
    },
    async nextDueAt() {
      const disabled = await selectDisabledEndpoints(deps.db);
      const next = Math.min(...disabled.map(({ endpoint }) => dueAt(endpoint).getTime()));
      return Number.isFinite(next) ? new Date(next) : null;
    },
  };
}
