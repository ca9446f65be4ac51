/**
 * CRM endpoint configuration (docs/crm-endpoints.md#the-six-types): one endpoint per type and shop. A change
 * is planned (validated, nothing written) and its plan's commit writes what the plan shows, so the preview
 * a caller confirmed is exactly what gets written.
 */
import { and, eq } from 'drizzle-orm';
import type { CrmEndpointDefinition, CrmEndpointType } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo, type SealedField } from '../../lib/secret-box.ts';
import { crmEndpoints } from '../../db/schema.ts';
import { openCredentials, sealCredentials, type TargetCredentials } from '../../lib/credentials.ts';
import { newId } from '../../lib/ids.ts';
import { keyedChangeCommit, planKeyedChange } from '../../lib/keyed-change.ts';
import type { ChangePlan } from '../tool.ts';
import { forgetEndpointForCall } from './endpoint-cache.ts';
import { forgetCrmLatency } from './latency.ts';
import {
  describeTarget,
  presentEndpointSettings,
  presentHealth,
  type CrmEndpointRow,
  type CrmEndpointSettings,
} from './present.ts';
import { selectEndpoint, selectEndpoints, unconfiguredTypes } from './store.ts';

type Deps = Pick<AppDeps, 'db' | 'secrets' | 'outbound' | 'clock' | 'invalidation'>;

/** Where the sealed endpoint credentials live: they open only for this column of their shop. */
const FIELD: SealedField = 'crm_endpoints.credentials';

export interface CrmEndpointChange {
  add?: CrmEndpointDefinition | undefined;
  remove?: CrmEndpointType | undefined;
}

/**
 * When each type is called (docs/crm-endpoints.md#the-six-types), so a preview can say what a change affects.
 */
const calledWhen: Record<CrmEndpointType, string> = {
  sidePanel_CustomerInfo: 'when an agent opens a chat',
  ai_CustomerInitialInfo: 'before the AI answers',
  sidePanel_CustomerFindToJoin: 'when an agent searches a customer to link',
  search_Products: 'when an agent searches products',
  globalSearch: 'when an agent searches everything',
  verify_conversion: 'when Smart Follow-up checks for a purchase',
};

/** A stored endpoint's settings as a preview or listing shows them. */
const presentStored = (deps: Pick<AppDeps, 'secrets'>, row: CrmEndpointRow) =>
  presentEndpointSettings(row, openCredentials(deps.secrets, row.credentials, boundTo(row.shopId, FIELD)));

const definitionSettings = (definition: CrmEndpointDefinition): CrmEndpointSettings => ({
  type: definition.type,
  url: definition.url,
  method: definition.method,
  timeoutMs: definition.timeout_ms,
});

const definitionCredentials = ({ token, headers, auth }: CrmEndpointDefinition): TargetCredentials => ({
  token,
  headers,
  auth,
});

/** The shop's endpoints, secrets redacted, each with its health; and the types not configured. */
export async function listCrmEndpoints(deps: Pick<AppDeps, 'db' | 'secrets'>, shopId: string) {
  const rows = await selectEndpoints(deps.db, shopId);
  return {
    endpoints: rows.map((row) => ({
      ...presentStored(deps, row),
      health: presentHealth(row),
      updated_at: row.updatedAt.toISOString(),
    })),
    not_configured: unconfiguredTypes(rows),
  };
}

/** Validates the change against the policy and the stored state; writes nothing until `commit`. */
export async function planCrmEndpointChange(
  deps: Deps,
  shopId: string,
  change: CrmEndpointChange,
): Promise<ChangePlan> {
  const { add, remove } = change;
  if (add !== undefined) await deps.outbound.checkUrl(add.url);
  const plan = planKeyedChange({
    rows: await selectEndpoints(deps.db, shopId),
    keyOf: (row) => row.type,
    present: (row) => presentStored(deps, row),
    add: add && {
      key: add.type,
      presented: presentEndpointSettings(definitionSettings(add), definitionCredentials(add)),
    },
    remove,
    wording: { add: 'add_crm_endpoint', remove: 'remove_crm_endpoint', record: 'CRM endpoint of type' },
  });
  const summary: string[] = [];
  const consequence: string[] = [];
  if (add !== undefined) {
    const { replaced } = plan;
    if (replaced === undefined) {
      summary.push(`add the ${add.type} endpoint (${describeTarget(add)})`);
    } else {
      summary.push(
        `replace the existing ${add.type} endpoint (${describeTarget(replaced)} → ${describeTarget(add)})`,
      );
      consequence.push(`The previous ${add.type} settings and error counters are discarded.`);
    }
    consequence.push(`Parley calls ${describeTarget(add)} ${calledWhen[add.type]}, from the next call on.`);
  }
  if (plan.removed !== undefined) {
    const { type } = plan.removed;
    summary.push(`remove the ${type} endpoint (${describeTarget(plan.removed)})`);
    consequence.push(
      `Parley stops calling the CRM ${calledWhen[type]}; that feature reports "not_configured".`,
    );
  }
  return keyedChangeCommit(plan, { summary, consequence }, () =>
    writeCrmEndpointChange(deps, shopId, change),
  );
}

/** Plans and writes a change at once (the panel and the demo shop, which confirm nothing). */
export async function applyCrmEndpointChange(deps: Deps, shopId: string, change: CrmEndpointChange) {
  return (await planCrmEndpointChange(deps, shopId, change)).commit();
}

async function writeCrmEndpointChange(deps: Deps, shopId: string, change: CrmEndpointChange) {
  const { add, remove } = change;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (remove !== undefined) {
      await tx
        .delete(crmEndpoints)
        .where(and(eq(crmEndpoints.shopId, shopId), eq(crmEndpoints.type, remove)));
    }
    if (add === undefined) return;
    const settings = {
      url: add.url,
      method: add.method,
      credentials: sealCredentials(deps.secrets, definitionCredentials(add), boundTo(shopId, FIELD)),
      timeoutMs: add.timeout_ms,
      // New settings start with a clean record: errors of the old URL say nothing about the new one.
      enabled: true,
      consecutiveErrors: 0,
      lastError: null,
      lastErrorAt: null,
      lastSuccessAt: null,
      disabledAt: null,
      lastProbeAt: null,
      updatedAt: now,
    };
    await tx
      .insert(crmEndpoints)
      .values({ id: newId('crm'), shopId, type: add.type, createdAt: now, ...settings })
      .onConflictDoUpdate({ target: [crmEndpoints.shopId, crmEndpoints.type], set: settings });
  });
  await forgetEndpointForCall(deps, shopId);
  for (const type of [add?.type, remove]) {
    if (type !== undefined) await forgetCrmLatency(deps, shopId, type);
  }
}

/** A stored endpoint with its credentials opened (what an operator or a test inspects); undefined when not configured. */
export async function getCrmEndpointForCall(
  deps: Pick<AppDeps, 'db' | 'secrets'>,
  shopId: string,
  type: CrmEndpointType,
) {
  const row = await selectEndpoint(deps.db, shopId, type);
  if (row === undefined) return undefined;
  const { credentials, ...endpoint } = row;
  return { ...endpoint, credentials: openCredentials(deps.secrets, credentials, boundTo(shopId, FIELD)) };
}
export type CrmEndpointForCall = NonNullable<Awaited<ReturnType<typeof getCrmEndpointForCall>>>;
