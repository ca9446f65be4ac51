/**
 * Mounts the MCP endpoint (docs/mcp.md) in its own Fastify scope: it checks Host and Origin first,
 * reads bodies as raw text and answers every refusal (foreign host, body too large, bad content
 * length, …) as a JSON-RPC error, whatever the rest of the app does.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { createMcpEndpoint, sendRpcError } from './endpoint.ts';
import { createHostGuard } from './host-guard.ts';
import { jsonRpcError, JsonRpcCode } from './json-rpc.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createServerFactory } from './server-factory.ts';
import { customAuthRoute, publicRoute } from '../features/shops/index.ts';
import type { Tool } from '../features/tool.ts';
import { createToolCatalog } from './tool-catalog.ts';
import { mcpTools } from './tools.ts';
import { createMcpTransport } from './transport.ts';

export interface McpRouteOptions {
  /** The tools to serve; every tool Parley has unless a test mounts its own. */
  tools?: readonly Tool[];
}

const PATHS = ['/api/mcp', '/api/mcp/'];

/**
 * Unknown tokens one client address may present per minute. A real client with a mistyped
 * token fails a handful of times; a guesser is slowed to this pace (docs/mcp.md).
 */
const UNKNOWN_TOKENS_PER_MINUTE = 10;

export async function registerMcpRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  options: McpRouteOptions = {},
): Promise<void> {
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
  const hostGuard = createHostGuard(deps.config);
  app.addHook('onClose', () => transport.close());

  await app.register(async (scope) => {
    // Before the body is read, for every method: `initialize` needs no token, so this is what
    // keeps a rebound web page from talking to a Parley on localhost.
    scope.addHook('onRequest', async (request, reply) => {
      const refusal = hostGuard.refusal(request.headers.host, request.headers.origin);
      if (refusal !== undefined) {
        return sendRpcError(reply, 403, jsonRpcError(null, JsonRpcCode.INVALID_REQUEST, refusal));
      }
    });
    // Raw text for every media type: the endpoint checks the type and parses the JSON itself, so
    // that a bad body gets a JSON-RPC answer instead of Fastify's.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const message = `Payload Too Large: the body is over ${deps.config.PARLEY_BODY_LIMIT_BYTES} bytes (PARLEY_BODY_LIMIT_BYTES).`;
        return sendRpcError(reply, 413, jsonRpcError(null, JsonRpcCode.INVALID_REQUEST, message));
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return sendRpcError(
          reply,
          error.statusCode,
          jsonRpcError(null, JsonRpcCode.INVALID_REQUEST, `Invalid Request: ${error.message}`),
        );
      }
      request.log.error({ err: error }, 'MCP endpoint failed');
      return sendRpcError(
        reply,
        500,
        jsonRpcError(null, JsonRpcCode.INTERNAL_ERROR, 'Internal error; the details are in the server log.'),
      );
    });
    for (const url of PATHS) {
      // The endpoint authenticates per JSON-RPC method, with MCP's own refusals (mcp/endpoint.ts).
      scope.post(url, customAuthRoute, endpoint.handlePost);
      // Stateless: there is no session to resume (GET) or end (DELETE).
      scope.route({
        method: ['GET', 'DELETE', 'PUT', 'PATCH'],
        url,
        ...publicRoute,
        handler: (_request, reply) =>
          sendRpcError(
            reply.header('allow', 'POST'),
            405,
            jsonRpcError(
              null,
              JsonRpcCode.INVALID_REQUEST,
              'Method Not Allowed: this MCP endpoint is stateless; send JSON-RPC messages with POST.',
            ),
          ),
      });
    }
  });
}
