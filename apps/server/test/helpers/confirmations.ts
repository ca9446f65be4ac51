/** MCP confirmations as the tests send them: a preview's token, and two confirmations of which one applies. */
import { strict as assert } from 'node:assert';
import type { FastifyInstance } from 'fastify';
import { callTool, textOf, type ToolCallResult } from './mcp.ts';

export async function previewToken(
  app: FastifyInstance,
  token: string,
  name: string,
  args: Record<string, unknown>,
): Promise<string> {
  const preview = await callTool(app, token, name, args);
  assert.equal(preview.isError, undefined, textOf(preview));
  return preview.structuredContent?.confirmation_token as string;
}

/** Of two confirmations sent at once, the one applied, after checking the other was refused. */
export function oneApplied(results: ToolCallResult[]): ToolCallResult {
  const applied = results.filter((result) => result.isError === undefined);
  const refused = results.filter((result) => result.isError === true);
  assert.equal(applied.length, 1, `exactly one applies: ${results.map(textOf).join(' | ')}`);
  assert.equal(refused.length, 1);
  assert.match(textOf(refused[0]!), /does not match this change/);
  assert.match(textOf(refused[0]!), /Nothing was changed/);
  return applied[0]!;
}
