/**
 * The CRM connector: how every feature asks the business's CRM something (docs/crm-endpoints.md). It finds
 * the shop's endpoint of a type, skips it while disabled, calls it, and keeps its health and latency.
 * Upstream problems come back as an outcome with a stable code; it throws only on a fault. A call the
 * shop's gate turns away (crm-gate.ts) is `busy`: it never reached the CRM, so it leaves health and latency alone.
 *
 * The hot path is the endpoint row, secrets opened, from a short-lived cache (endpoint-cache.ts), the
 * call, and no write unless the health changes or the last recorded success is over 30 s old.
 */
import type { CrmAnswerIssue, CrmEndpointType, PanelCrmAnswers } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import type { CrmCallParams } from './build-request.ts';
import type { CrmErrorCode } from './call-errors.ts';
import type { CrmBusy } from './crm-gate.ts';
import { readEndpointForCall } from './endpoint-cache.ts';
import { exchangeWithCrm } from './exchange.ts';
import { recordCallFailure, recordCallSuccess } from './health-record.ts';
import { recordCrmLatency } from './latency.ts';
import type { CrmEndpointRow } from './present.ts';

export type CrmCallOutcome<T extends CrmEndpointType> =
  | {
      status: 'ok';
      answer: PanelCrmAnswers[T];
      warnings: CrmAnswerIssue[];
      latencyMs: number;
      httpStatus: number;
    }
  | { status: 'not_configured' }
  | { status: 'disabled'; error: { code: 'ENDPOINT_DISABLED'; message: string } }
  | CrmBusy
  | {
      status: 'error';
      error: { code: CrmErrorCode; message: string };
      latencyMs: number;
      httpStatus?: number;
    };

function disabledMessage(row: CrmEndpointRow): string {
  const since = row.disabledAt === null ? '' : ` at ${row.disabledAt.toISOString()}`;
  const last = row.lastError === null ? '' : ` (last: ${row.lastError})`;
  return (
    `The ${row.type} endpoint was disabled${since} after ${row.consecutiveErrors} consecutive errors${last}. ` +
    'Parley probes it now and then and re-enables it once it answers well. Fix the CRM, check it with ' +
    'test_crm_endpoint, then run reset_crm_errors to re-enable it at once.'
  );
}

export async function callCrmEndpoint<T extends CrmEndpointType>(
  deps: AppDeps,
  shopId: string,
  type: T,
  params: CrmCallParams,
): Promise<CrmCallOutcome<T>> {
  const stored = await readEndpointForCall(deps, shopId, type);
  if (stored === undefined) return { status: 'not_configured' };
  const row = stored.endpoint;
  if (!row.enabled) {
    return { status: 'disabled', error: { code: 'ENDPOINT_DISABLED', message: disabledMessage(row) } };
  }

  const exchange = await exchangeWithCrm(deps, shopId, stored.target, type, params);
  if (exchange.status === 'busy') return exchange;
  const { result } = exchange.value;
  recordCrmLatency(deps, shopId, type, result.latencyMs);
  if (result.ok) {
    await recordCallSuccess(deps, row);
    const { answer, warnings, latencyMs, httpStatus } = result;
    return { status: 'ok', answer, warnings, latencyMs, httpStatus };
  }
  await recordCallFailure(deps, row, result.error);
  const { error, latencyMs, httpStatus } = result;
  return { status: 'error', error, latencyMs, ...(httpStatus === undefined ? {} : { httpStatus }) };
}
