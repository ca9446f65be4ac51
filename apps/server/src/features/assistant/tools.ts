/** The MCP tools of the assistant: its model settings and the function call log. */
import { z } from 'zod';
import { customFunctionName } from '@parley/contract';
import { defineTool, type Tool } from '../tool.ts';
import { listFunctionLogs } from './function-logs.ts';
import { getAiConfig, planAiSettingsChange } from './model-settings-change.ts';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const configureAiInput = z.strictObject({
  base_url: z
    .url({
      protocol: /^https?$/,
      error: 'base_url must be an absolute http(s) URL such as https://api.openai.com/v1',
    })
    .max(2048)
    .nullable()
    .optional()
    .describe(
      'Base URL of an OpenAI-compatible Chat Completions API, up to the version (https://api.openai.com/v1). ' +
        'Must pass the outbound policy. null returns to the server default; omit to keep.',
    ),
  model: z
    .string()
    .trim()
    .min(1, 'model must not be empty')
    .max(200)
    .nullable()
    .optional()
    .describe('Model name, e.g. gpt-4o-mini. null returns to the server default; omit to keep.'),
  api_key: z
    .string()
    .min(1, 'api_key must not be empty; pass null to remove it')
    .max(4096)
    .nullable()
    .optional()
    .describe(
      'API key sent as a Bearer token. Stored encrypted, never shown. null removes it; omit to keep.',
    ),
});

export const assistantTools: Tool[] = [
  defineTool({
    kind: 'plain',
    name: 'get_ai_config',
    title: "Get the AI assistant's model settings",
    description:
      "Shows which model the AI reply suggestions use: this shop's own settings (base URL, model, whether an API " +
      'key is set; never the key) and the effective result, or what is missing. Read-only.',
    annotations: readOnly,
    input: z.strictObject({}),
    run: (_args, { deps, shopId }) => getAiConfig(deps, shopId),
  }),
  defineTool({
    kind: 'confirmed',
    name: 'configure_ai',
    title: "Set this shop's own AI model",
    description:
      "Sets this shop's own model for AI reply suggestions, overriding the server's PARLEY_LLM_* settings field by " +
      "field: base_url, model, api_key (null returns a field to the server default). The server's API key is never " +
      'sent to a base URL set here. Side effects: stores the settings (the key encrypted); replies use them from ' +
      'the next one on. Without confirm: true it only previews the change.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    input: configureAiInput,
    plan: (args, { deps, shopId }) => planAiSettingsChange(deps, shopId, args),
  }),
  defineTool({
    kind: 'plain',
    name: 'get_function_logs',
    title: 'Custom function call log',
    description:
      'Lists the custom function calls the AI made, newest first: function, reply id, arguments (values of ' +
      'secret-looking names redacted; the function credentials are never logged), status (ok, http_error, failed, ' +
      'timeout, invalid_arguments, unknown_function, duplicate, limit_reached), HTTP status, latency, error and ' +
      'time. Read-only.',
    annotations: readOnly,
    input: z.strictObject({
      function_name: customFunctionName.optional().describe('Only calls of this function.'),
      since: z.iso
        .datetime({ offset: true, error: 'since must be an ISO 8601 date-time such as 2026-03-01T00:00:00Z' })
        .optional()
        .describe('Only calls at or after this time (ISO 8601).'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(500)
        .default(50)
        .describe('At most this many calls (1-500, default 50).'),
    }),
    run: async (args, { deps, shopId }) => {
      const calls = await listFunctionLogs(deps, shopId, {
        functionName: args.function_name,
        since: args.since === undefined ? undefined : new Date(args.since),
        limit: args.limit,
      });
      return { calls, count: calls.length };
    },
  }),
];
