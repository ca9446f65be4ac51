import { z } from 'zod';
import { describeValue } from './crm/describe-value.ts';
import { endpointAuth, endpointHeaders, endpointUrl, httpMethod } from './endpoint-settings.ts';
import { objectOrJsonString } from './json-argument.ts';

/**
 * docs/crm-endpoints.md#the-six-types: the calls Parley makes to the business's CRM, one endpoint per type
 * and shop.
 */
export const crmEndpointTypes = [
  'sidePanel_CustomerInfo',
  'ai_CustomerInitialInfo',
  'sidePanel_CustomerFindToJoin',
  'search_Products',
  'globalSearch',
  'verify_conversion',
] as const;
export type CrmEndpointType = (typeof crmEndpointTypes)[number];

export const crmEndpointType = z.enum(crmEndpointTypes, {
  error: (issue) =>
    `unknown CRM endpoint type ${describeValue(issue.input)}; valid types: ${crmEndpointTypes.join(', ')}`,
});

export const crmEndpointMethods = ['GET', 'POST'] as const;
export type CrmEndpointMethod = (typeof crmEndpointMethods)[number];

/**
 * Default and maximum (docs/crm-endpoints.md#timeouts-size-redirects-and-addresses); the floor keeps a typo
 * such as `60` from failing every call.
 */
export const CRM_TIMEOUT_MAX_MS = 60_000;
export const CRM_TIMEOUT_MIN_MS = 1_000;

export const crmEndpointDefinition = z.strictObject({
  type: crmEndpointType,
  url: endpointUrl,
  method: httpMethod(crmEndpointMethods).default('GET'),
  /** Sent as the `token` parameter of every call. */
  token: z.string().min(1, 'must not be empty; omit it instead').optional(),
  headers: endpointHeaders.optional(),
  auth: endpointAuth.optional(),
  timeout_ms: z
    .number()
    .int()
    .min(CRM_TIMEOUT_MIN_MS, `must be at least ${CRM_TIMEOUT_MIN_MS} (1 s)`)
    .max(CRM_TIMEOUT_MAX_MS, `must be at most ${CRM_TIMEOUT_MAX_MS} (60 s)`)
    .default(CRM_TIMEOUT_MAX_MS),
});
export type CrmEndpointDefinition = z.output<typeof crmEndpointDefinition>;

/** The change arguments of `update_crm_endpoints`; `add_crm_endpoint` may be an object or its JSON text. */
export const updateCrmEndpointsArguments = z.strictObject({
  add_crm_endpoint: objectOrJsonString(crmEndpointDefinition).optional(),
  remove_crm_endpoint: crmEndpointType.optional(),
});
