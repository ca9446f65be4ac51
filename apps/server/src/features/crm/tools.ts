/** The MCP tools of the crm feature (docs/mcp.md): thin adapters over its services. */
import { z } from 'zod';
import { crmEndpointTypes, updateCrmEndpointsArguments } from '@parley/contract';
import { defineTool, type Tool, type ToolAnnotations } from '../tool.ts';
import { parseInput } from '../../lib/validation.ts';
import { listCrmEndpoints, planCrmEndpointChange } from './endpoints.ts';
import { getCrmHealthStatus, planCrmErrorReset } from './health.ts';
import { testCrmEndpoint } from './test-endpoint.ts';
import { getRequestSigningSecret, planSigningSecretRotation, signatureScheme } from './signing-secret.ts';

const readOnly: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

const validTypes = crmEndpointTypes.join(', ');

/**
 * Loose on purpose: the definition is validated by the service's contract schema whether it comes
 * as an object or as JSON text, so both forms fail with the same path-naming message.
 */
const updateInput = z.strictObject({
  add_crm_endpoint: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe(
      'The endpoint to add or replace, as an object or its JSON text: {"type", "url", "method": "GET" (default) | "POST", ' +
        '"token"?, "headers"?: {name: value}, "auth"?: {"type": "header"|"basic"|"body"|"query", "fields": {…}} ' +
        `(basic needs "username" and "password"), "timeout_ms"?: 1000-60000 (default 60000)}. Types: ${validTypes}.`,
    ),
  remove_crm_endpoint: z
    .string()
    .optional()
    .describe(`The type whose endpoint to remove: one of ${validTypes}.`),
});

/** Loose for the same reason: the contract schema checks the settings and names the paths. */
const testInput = z.strictObject({
  type: z.string().describe(`The endpoint type to test: one of ${validTypes}.`),
  url: z
    .string()
    .optional()
    .describe(
      'The URL to test, with the settings below, before saving them. Omit it (and the settings) to test the ' +
        'stored endpoint of this type.',
    ),
  method: z.string().optional().describe('"GET" (default) or "POST".'),
  token: z.string().optional().describe('Sent as the parameter "token".'),
  headers: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Extra headers sent as given: {name: value}.'),
  auth: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      '{"type": "header"|"basic"|"body"|"query", "fields": {…}} (basic needs "username" and "password").',
    ),
  timeout_ms: z.number().optional().describe('1000-60000 (default 60000).'),
  test_phone: z
    .string()
    .optional()
    .describe(
      'The phone (E.164) sent to the phone types; default +34600000000, which should match no customer.',
    ),
  query: z.string().optional().describe('The text sent to the search types; default "test".'),
});

const parseChange = (args: z.output<typeof updateInput>) => {
  const parsed = parseInput(updateCrmEndpointsArguments, args, 'arguments');
  return { add: parsed.add_crm_endpoint, remove: parsed.remove_crm_endpoint };
};

export const crmTools: Tool[] = [
  defineTool({
    kind: 'confirmed',
    name: 'update_crm_endpoints',
    title: 'Add, replace or remove a CRM endpoint',
    description:
      'Adds, replaces or removes the endpoint Parley calls for one CRM endpoint type (one endpoint per type; ' +
      'adding an existing type replaces it and resets its error counters). Side effects: stores the settings, ' +
      'with token, header values and auth fields encrypted; from the next call on Parley calls the new URL or stops ' +
      'calling the removed one. The URL must pass the outbound policy (public https, or a target allowed by ' +
      'PARLEY_ALLOW_PRIVATE_TARGETS). Without confirm: true it only previews the change.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    input: updateInput,
    plan: (args, ctx) => planCrmEndpointChange(ctx.deps, ctx.shopId, parseChange(args)),
  }),
  defineTool({
    kind: 'plain',
    name: 'test_crm_endpoint',
    title: 'Test a CRM endpoint',
    description:
      'Calls a CRM endpoint once, exactly as production would (same request, token, headers, auth, ' +
      'X-Parley-Signature, outbound policy and limits), with a harmless lookup: the test phone for the phone ' +
      'types, the query for the search types. Reports the request as sent (credentials shown as "[set]"), HTTP ' +
      'status, latency, the start of the answer, its validation (errors and warnings, each with a JSON path) and ' +
      'the normalized result the side panel would show. Pass url and settings to try an endpoint before saving ' +
      'it, or only type to test the stored one. Side effects: one request to your CRM; none in Parley (nothing is ' +
      "stored and the endpoint's health is not touched). Read-only.",
    // It reaches the CRM (open world) with a lookup the contract defines as side-effect free; nothing in
    // Parley changes, and calling it twice tests twice.
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    input: testInput,
    run: (args, ctx) => testCrmEndpoint(ctx.deps, ctx.shopId, args),
  }),
  defineTool({
    kind: 'plain',
    name: 'get_crm_endpoints',
    title: 'List CRM endpoints and the request signing secret',
    description:
      'Lists the configured CRM endpoints with secrets redacted ("[set]") and their health, the types not ' +
      "configured, and the shop's request_signing_secret with how CRM calls are signed (the one secret Parley " +
      'shows, so your CRM can verify X-Parley-Signature). Read-only.',
    annotations: readOnly,
    input: z.strictObject({}),
    run: async (_args, ctx) => ({
      ...(await listCrmEndpoints(ctx.deps, ctx.shopId)),
      request_signing_secret: await getRequestSigningSecret(ctx.deps, ctx.shopId),
      signature_scheme: signatureScheme,
    }),
  }),
  defineTool({
    kind: 'confirmed',
    name: 'rotate_request_signing_secret',
    title: 'Rotate the request signing secret',
    description:
      'Replaces the secret that signs every CRM call (X-Parley-Signature) with a new random one. Side effects: ' +
      'calls are signed with the new secret at once, so a CRM that verifies signatures refuses them until it is ' +
      'updated. The new secret is shown once in the result (and by get_crm_endpoints). Without confirm: true it ' +
      'only previews the change.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    input: z.strictObject({}),
    plan: (_args, ctx) => planSigningSecretRotation(ctx.deps, ctx.shopId),
  }),
  defineTool({
    kind: 'plain',
    name: 'get_crm_health_status',
    title: 'CRM endpoint health',
    description:
      'Reports, per configured CRM endpoint: status, enabled, consecutive errors, last error, last success and ' +
      'latency p50/p95. Read-only.',
    annotations: readOnly,
    input: z.strictObject({}),
    run: (_args, ctx) => getCrmHealthStatus(ctx.deps, ctx.shopId),
  }),
  defineTool({
    kind: 'confirmed',
    name: 'reset_crm_errors',
    title: 'Re-enable CRM endpoints disabled after errors',
    description:
      'Re-enables the CRM endpoints disabled after consecutive errors and zeroes their error counters (the last ' +
      'error is kept). Side effects: Parley calls those endpoints again from the next call on. Without ' +
      'confirm: true it only previews which endpoints would be reset.',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    input: z.strictObject({}),
    plan: (_args, ctx) => planCrmErrorReset(ctx.deps, ctx.shopId),
  }),
];
