/**
 * Runs one tools/call against a known tool and maps what happens to the two error families
 * (docs/architecture.md#two-error-families): an AppError is the caller's to fix and becomes an isError
 * result; the database being unreachable is an outage, answered as a tool error that says to try again
 * (docs/operations.md); anything else is a fault, logged and answered as JSON-RPC -32603 without
 * internals.
 */
import { ProtocolError, type CallToolResult } from '@modelcontextprotocol/server';
import { isDatabaseUnavailable, unavailableReason } from '../db/availability.ts';
import { isAppError } from '../lib/errors.ts';
import { runConfirmedTool } from './confirmation-flow.ts';
import { JsonRpcCode } from './json-rpc.ts';
import type { Tool, ToolContext } from '../features/tool.ts';
import { parseToolArguments } from './tool-arguments.ts';
import { toolError, toolResult } from './tool-result.ts';

type Outcome = 'ok' | 'tool_error' | 'fault';

export async function callTool(
  tool: Tool,
  rawArgs: Record<string, unknown>,
  ctx: ToolContext,
): Promise<CallToolResult> {
  let outcome: Outcome = 'fault';
  try {
    const result = await runTool(tool, rawArgs, ctx);
    outcome = result.isError === true ? 'tool_error' : 'ok';
    return result;
  } catch (error) {
    if (isAppError(error)) {
      outcome = 'tool_error';
      return toolError(error.message);
    }
    if (isDatabaseUnavailable(error)) {
      outcome = 'tool_error';
      // The reason only: the error may carry the statement's values.
      ctx.deps.logger.warn(
        { tool: tool.name, reason: unavailableReason(error) },
        'MCP tool: database unavailable',
      );
      return toolError(
        'DATABASE_UNAVAILABLE: the database cannot be reached right now (docs/operations.md); try again in a few seconds. If this call was a change, check with the matching get_ tool whether it was saved.',
      );
    }
    ctx.deps.logger.error({ err: error, tool: tool.name, shopId: ctx.shopId }, 'MCP tool failed');
    throw new ProtocolError(
      JsonRpcCode.INTERNAL_ERROR,
      `Internal error: ${tool.name} failed unexpectedly; the details are in the server log.`,
    );
  } finally {
    ctx.deps.metrics.mcpToolCalls.inc({ tool: tool.name, outcome });
  }
}

async function runTool(
  tool: Tool,
  rawArgs: Record<string, unknown>,
  ctx: ToolContext,
): Promise<CallToolResult> {
  const parsed = parseToolArguments(tool, rawArgs);
  if (!parsed.ok) return toolError(parsed.message);
  if (tool.kind === 'plain') return toolResult(await tool.run(parsed.args, ctx));
  return runConfirmedTool(tool, parsed.args, parsed.controls, ctx);
}
