/**
 * The demo CRM's URL scheme, one path per endpoint type (`/crm/sidePanel_CustomerInfo`, …), and the
 * definitions that point Parley at it: what `npm run demo-crm` prints and the demo shop is given.
 */
import { crmEndpointTypes, type CrmEndpointType } from '@parley/contract';

const PREFIX = '/crm/';

export const endpointPath = (type: CrmEndpointType) => `${PREFIX}${type}`;

/** The type a request path names, or undefined for any other path. */
export function endpointTypeOf(pathname: string): CrmEndpointType | undefined {
  if (!pathname.startsWith(PREFIX)) return undefined;
  const name = pathname.slice(PREFIX.length);
  return crmEndpointTypes.find((type) => type === name);
}

/** An `add_crm_endpoint` argument of `update_crm_endpoints`. */
export interface DemoEndpointDefinition {
  type: CrmEndpointType;
  url: string;
  method: 'GET';
  token?: string;
}

/** The six definitions, one per type, for a demo CRM at `baseUrl` (no trailing slash). */
export const demoCrmEndpoints = (baseUrl: string, token?: string): DemoEndpointDefinition[] =>
  crmEndpointTypes.map((type) => ({
    type,
    url: `${baseUrl}${endpointPath(type)}`,
    method: 'GET',
    ...(token === undefined ? {} : { token }),
  }));
