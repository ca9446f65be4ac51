/**
 * Parses tools/call arguments with the tool's zod schema, strictly: an unknown field is an error,
 * so a misspelt argument is never silently ignored. Confirmed tools also take `confirm` and
 * `confirmation_token`, which belong to the MCP layer and are split off before the tool sees
 * its arguments. Every problem is reported at once, with its path; NUL characters and runaway
 * nesting are refused first, as everywhere input enters (the contract's parseAtBoundary).
 */
import { parseAtBoundary } from '@parley/contract';
import { z } from 'zod';
import { describeIssues } from '../lib/validation.ts';
import type { Tool } from '../features/tool.ts';

export const confirmationControls = z.strictObject({
  confirm: z
    .boolean({ error: 'must be true (apply the change) or false/omitted (only preview it)' })
    .optional()
    .describe('true applies the change; omitted or false only previews it and changes nothing.'),
  confirmation_token: z
    .string({ error: 'must be the confirmation_token string from the preview' })
    .min(1)
    .max(200)
    .optional()
    .describe(
      'The token from the preview: the change is then applied only if nothing changed since that preview (valid 10 minutes).',
    ),
});
export type ConfirmationControls = z.output<typeof confirmationControls>;

const controlNames = Object.keys(confirmationControls.shape);

export type ParsedArguments =
  | { ok: true; args: Record<string, unknown>; controls: ConfirmationControls }
  | { ok: false; message: string };

export const acceptedArgumentNames = (tool: Tool): string[] => [
  ...Object.keys(tool.input.shape),
  ...(tool.kind === 'confirmed' ? controlNames : []),
];

export function parseToolArguments(tool: Tool, raw: Record<string, unknown>): ParsedArguments {
  const own: Record<string, unknown> = {};
  const controlInput: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (tool.kind === 'confirmed' && controlNames.includes(name)) controlInput[name] = value;
    else own[name] = value;
  }
  // Strict since defineTool: an unknown argument is an error.
  const parsedArgs = parseAtBoundary(tool.input, own);
  const parsedControls = parseAtBoundary(confirmationControls, controlInput);
  if (parsedArgs.success && parsedControls.success) {
    return { ok: true, args: parsedArgs.data, controls: parsedControls.data };
  }
  const problems = [parsedArgs.error, parsedControls.error]
    .filter((error) => error !== undefined)
    .map(describeIssues)
    .join('; ');
  const accepted = acceptedArgumentNames(tool);
  return {
    ok: false,
    message:
      `Invalid arguments for ${tool.name}: ${problems}. ` +
      `Accepted arguments: ${accepted.length > 0 ? accepted.join(', ') : 'none'}. ` +
      'Nothing was changed; fix the arguments and call again.',
  };
}
