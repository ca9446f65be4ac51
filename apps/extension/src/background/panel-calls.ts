/** The side-panel API calls (docs/api.md) the panel asks for, with the cache in front of lookups. */
import {
  createPanelLinkResponse,
  customerLookupResponse,
  panelSearchResponse,
  type CreatePanelLinkRequest,
  type CreatePanelLinkResponse,
  type CustomerLookupResponse,
  type PanelSearchKind,
  type PanelSearchResponse,
} from '@parley/contract';
import type { Outcome } from '../shared/outcome.ts';
import { cachedLookup, dropLookup, storeLookup } from './lookup-cache.ts';
import { callServer, type Connection } from './server-client.ts';

export async function lookupCustomer(
  connection: Connection,
  phone: string,
  refresh: boolean,
): Promise<Outcome<CustomerLookupResponse>> {
  if (!refresh) {
    const cached = await cachedLookup(phone);
    if (cached !== null) return { ok: true, value: cached };
  }
  const outcome = await callServer(connection, {
    method: 'GET',
    path: '/api/panel/customer',
    query: refresh ? { phone, refresh: '1' } : { phone },
    schema: customerLookupResponse,
    retries: 2,
  });
  if (outcome.ok) await storeLookup(phone, outcome.value);
  return outcome;
}

export function searchCrm(
  connection: Connection,
  kind: PanelSearchKind,
  query: string,
  phone: string | null,
): Promise<Outcome<PanelSearchResponse>> {
  return callServer(connection, {
    method: 'GET',
    path: '/api/panel/search',
    query: phone === null ? { kind, q: query } : { kind, q: query, phone },
    schema: panelSearchResponse,
    retries: 1,
  });
}

export async function linkCustomer(
  connection: Connection,
  request: CreatePanelLinkRequest,
): Promise<Outcome<CreatePanelLinkResponse>> {
  const outcome = await callServer(connection, {
    method: 'POST',
    path: '/api/panel/links',
    body: request,
    schema: createPanelLinkResponse,
    // Linking the same customer twice updates the link instead of adding one, so a retry is safe.
    retries: 1,
  });
  await dropLookup(request.phone);
  return outcome;
}
