/**
 * The agent's searches (docs/side-panel.md#searching): customers to link, products, everything. Not cached:
 * each query is typed once; the per-shop gate still bounds how many reach the CRM at once.
 */
import type { PanelSearchQuery, PanelSearchResponse } from '@parley/contract';
import type { Clock } from '../../lib/clock.ts';
import { presentCall, toCallResult } from './call-result.ts';
import type { CrmGate } from './crm-gate.ts';

/** `phone` is the chat's, already E.164. */
export async function searchCrm(
  gate: CrmGate,
  clock: Clock,
  shopId: string,
  query: PanelSearchQuery,
  phone: string | undefined,
): Promise<PanelSearchResponse> {
  const { q, limit } = query;
  switch (query.kind) {
    case 'customers': {
      const outcome = await gate(shopId, 'sidePanel_CustomerFindToJoin', { query: q, phone });
      const call = toCallResult('sidePanel_CustomerFindToJoin', outcome, clock.now(), (a) => a.customers);
      return { kind: 'customers', query: q, ...presentCall(call), results: call.results };
    }
    case 'products': {
      const outcome = await gate(shopId, 'search_Products', { query: q, limit });
      const call = toCallResult('search_Products', outcome, clock.now(), (a) => a.products);
      return { kind: 'products', query: q, ...presentCall(call), results: call.results };
    }
    case 'global': {
      const outcome = await gate(shopId, 'globalSearch', { query: q, limit });
      const call = toCallResult('globalSearch', outcome, clock.now(), (a) => a.results);
      return { kind: 'global', query: q, ...presentCall(call), results: call.results };
    }
  }
}
