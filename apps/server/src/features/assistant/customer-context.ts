/**
 * The customer's CRM record for a reply (issue 6): `ai_CustomerInitialInfo` (record plus free
 * `context` text for the AI), and `sidePanel_CustomerInfo` when that endpoint gives no answer
 * (not configured, disabled, failing). Both get the chat's linked phones as `relatedphones`.
 * A CRM problem never fails the reply: it shows in `context_sources` and the draft goes without. A shop
 * whose CRM gate is full (features/crm/crm-gate.ts) shows as an `error` with code CRM_BUSY, and the
 * fallback is not tried: it would wait behind the same full queue.
 */
import type { ContextSource, CrmEndpointType, PanelCustomer } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { callCrmEndpoint, type CrmCallOutcome } from '../crm/index.ts';
import { linkedPhonesFor } from '../panel/index.ts';
import { customerRecords } from './customer-data.ts';
import type { CustomerData } from './prompt.ts';

type ContextEndpoint = Extract<CrmEndpointType, 'ai_CustomerInitialInfo' | 'sidePanel_CustomerInfo'>;

export interface CustomerContext {
  data: CustomerData | null;
  sources: ContextSource[];
}

function sourceOf(endpoint: ContextEndpoint, outcome: CrmCallOutcome<ContextEndpoint>): ContextSource {
  const base = { kind: 'crm' as const, endpoint, customers: 0, has_context_text: false };
  switch (outcome.status) {
    case 'ok': {
      const context = 'context' in outcome.answer ? outcome.answer.context : null;
      return {
        ...base,
        status: outcome.answer.found ? 'found' : 'not_found',
        customers: outcome.answer.customers.length,
        has_context_text: context !== null,
      };
    }
    case 'not_configured':
      return { ...base, status: 'not_configured' };
    case 'disabled':
    case 'error':
      return { ...base, status: outcome.status, error: outcome.error };
    case 'busy':
      return { ...base, status: 'error', error: outcome.error };
  }
}

const dataOf = (
  endpoint: ContextEndpoint,
  customers: readonly PanelCustomer[],
  contextText: string | null,
) => ({
  endpoint,
  contextText,
  records: customerRecords(customers),
});

/** `relatedphones`: the chat's linked phones when the caller has read them already (by batch). */
export async function gatherCustomerContext(
  deps: AppDeps,
  shopId: string,
  phone: string,
  relatedphones?: string[],
): Promise<CustomerContext> {
  const params = { phone, relatedphones: relatedphones ?? (await linkedPhonesFor(deps, shopId, phone)) };
  const ai = await callCrmEndpoint(deps, shopId, 'ai_CustomerInitialInfo', params);
  const sources = [sourceOf('ai_CustomerInitialInfo', ai)];
  if (ai.status === 'ok') {
    return { data: dataOf('ai_CustomerInitialInfo', ai.answer.customers, ai.answer.context), sources };
  }
  if (ai.status === 'busy') return { data: null, sources };
  const panel = await callCrmEndpoint(deps, shopId, 'sidePanel_CustomerInfo', params);
  sources.push(sourceOf('sidePanel_CustomerInfo', panel));
  if (panel.status === 'ok') {
    return { data: dataOf('sidePanel_CustomerInfo', panel.answer.customers, null), sources };
  }
  return { data: null, sources };
}
