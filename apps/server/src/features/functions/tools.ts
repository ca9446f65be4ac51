/** The MCP tools of the functions feature (docs/mcp.md): thin adapters over its service. */
import { z } from 'zod';
import { updateCustomFunctionsArguments } from '@parley/contract';
import { defineTool, type Tool } from '../tool.ts';
import { parseInput } from '../../lib/validation.ts';
import { listCustomFunctions, planCustomFunctionChange } from './service.ts';

/**
 * Loose on purpose: the definition is validated by the service's contract schema whether it comes
 * as an object or as JSON text, so both forms fail with the same path-naming message.
 */
const updateInput = z.strictObject({
  add_function: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe(
      'ONE function to add or replace (same name), as an object or its JSON text. Either the OpenAI format ' +
        '{"name", "description", "parameters": <JSON Schema of type object>} plus top-level "endpoint" (URL), ' +
        '"method" (GET|POST|PUT|PATCH|DELETE, default POST), optional "format" ("json"|"form"), "headers" and ' +
        '"auth" ({"type": "header"|"basic"|"body"|"query", "fields": {…}}); or the endpoint given as ' +
        'parameters.properties.endpoint = {"url", "method", "format", "auth"}, which the model never sees. ' +
        'Name: 1-64 letters, digits, "_" or "-".',
    ),
  remove_function: z.string().optional().describe('The name of the function to remove.'),
});

const parseChange = (args: z.output<typeof updateInput>) => {
  const parsed = parseInput(updateCustomFunctionsArguments, args, 'arguments');
  return { add: parsed.add_function, remove: parsed.remove_function };
};

export const functionTools: Tool[] = [
  defineTool({
    kind: 'confirmed',
    name: 'update_custom_functions',
    title: 'Add, replace or remove a custom AI function',
    description:
      'Adds, replaces (same name) or removes a function the AI may call while it writes replies; each function ' +
      'is backed by an HTTP endpoint of yours. Side effects: stores the definition, with header values and auth ' +
      'fields encrypted; from its next reply on the AI can call the new definition (or no longer the removed ' +
      'one). The parameters must be a valid JSON Schema of type object and the URL must pass the outbound policy ' +
      '(public https, or a target allowed by PARLEY_ALLOW_PRIVATE_TARGETS). Without confirm: true it only ' +
      'previews the change.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    input: updateInput,
    plan: (args, ctx) => planCustomFunctionChange(ctx.deps, ctx.shopId, parseChange(args)),
  }),
  defineTool({
    kind: 'plain',
    name: 'get_custom_functions',
    title: 'List custom AI functions',
    description:
      'Lists the custom functions as the AI sees them (OpenAI tool format, without the endpoint), each with its ' +
      'endpoint (url, method, format, header names, auth type) and secrets redacted ("[set]"). Read-only.',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    input: z.strictObject({}),
    run: async (_args, ctx) => {
      const functions = await listCustomFunctions(ctx.deps, ctx.shopId);
      return { functions, count: functions.length };
    },
  }),
];
