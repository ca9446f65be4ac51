/**
 * The agent's searches (docs/side-panel.md#searching): customers to link, products, everything. Not cached:
 * each query is typed once; the app's per-shop CRM gate still bounds how many reach the CRM at once.
 */
import type { PanelSearchQuery, PanelSearchResponse } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { callCrmEndpoint } from '../crm/index.ts';
import { presentCall, toCallResult } from './call-result.ts';

/** `phone` is the chat's, already E.164. */
export async function searchCrm(
  deps: AppDeps,
  shopId: string,
  query: PanelSearchQuery,
  phone: string | undefined,
): Promise<PanelSearchResponse> {
  const { q, limit } = query;
  switch (query.kind) {
    case 'customers': {
      const outcome = await callCrmEndpoint(deps, shopId, 'sidePanel_CustomerFindToJoin', {
        query: q,
        phone,
      });
      const call = toCallResult(
        'sidePanel_CustomerFindToJoin',
        outcome,
        deps.clock.now(),
        (a) => a.customers,
      );
      return { kind: 'customers', query: q, ...presentCall(call), results: call.results };
    }
    case 'products': {
      const outcome = await callCrmEndpoint(deps, shopId, 'search_Products', { query: q, limit });
      const call = toCallResult('search_Products', outcome, deps.clock.now(), (a) => a.products);
      return { kind: 'products', query: q, ...presentCall(call), results: call.results };
    }
    case 'global': {
      const outcome = await callCrmEndpoint(deps, shopId, 'globalSearch', { query: q, limit });
      const call = toCallResult('globalSearch', outcome, deps.clock.now(), (a) => a.results);
      return { kind: 'global', query: q, ...presentCall(call), results: call.results };
    }
  }
}
