/**
 * What the MCP endpoint needs beyond Fastify: the tool catalog, the MCP SDK's transport and Parley's
 * checks around it (endpoint.ts). index.ts loads this module with the first MCP request, so that a
 * start does not pay for the SDK (apps/server/scripts/build.mjs puts it in a chunk of its own).
 */
import type { AppDeps } from '../app-deps.ts';
import { createMcpEndpoint, type McpEndpoint } from './endpoint.ts';
import type { McpRouteOptions } from './index.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createServerFactory } from './server-factory.ts';
import { createToolCatalog } from './tool-catalog.ts';
import { mcpTools } from './tools.ts';
import { createMcpTransport } from './transport.ts';

/**
 * Unknown tokens one client address may present per minute. A real client with a mistyped
 * token fails a handful of times; a guesser is slowed to this pace (docs/mcp.md).
 */
const UNKNOWN_TOKENS_PER_MINUTE = 10;

export interface LoadedMcpEndpoint {
  endpoint: McpEndpoint;
  close(): Promise<void>;
}

export function loadMcpEndpoint(deps: AppDeps, options: McpRouteOptions): LoadedMcpEndpoint {
  const catalog = createToolCatalog(options.tools ?? mcpTools);
  const transport = createMcpTransport(createServerFactory(deps, catalog), (error) =>
    deps.logger.debug({ err: error }, 'MCP request refused by the SDK'),
  );
  const endpoint = createMcpEndpoint(deps, transport, {
    requests: createRateLimiter({
      limit: deps.config.PARLEY_MCP_RATE_LIMIT,
      windowMs: 60_000,
      clock: deps.clock,
    }),
    unknownTokens: createRateLimiter({
      limit: UNKNOWN_TOKENS_PER_MINUTE,
      windowMs: 60_000,
      clock: deps.clock,
    }),
  });
  return { endpoint, close: () => transport.close() };
}
