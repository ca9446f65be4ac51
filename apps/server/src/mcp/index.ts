/**
 * Mounts the MCP endpoint (docs/mcp.md) in its own Fastify scope: it checks Host and Origin first,
 * reads bodies as raw text and answers every refusal (foreign host, body too large, bad content
 * length, …) as a JSON-RPC error, whatever the rest of the app does.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { createHostGuard } from './host-guard.ts';
import { jsonRpcError, JsonRpcCode, sendRpcError } from './json-rpc.ts';
import { customAuthRoute, publicRoute } from '../features/shops/index.ts';
import type { Tool } from '../features/tool.ts';
import type { LoadedMcpEndpoint } from './load-endpoint.ts';

export interface McpRouteOptions {
  /** The tools to serve; every tool Parley has unless a test mounts its own. */
  tools?: readonly Tool[];
}

const PATHS = ['/api/mcp', '/api/mcp/'];

export async function registerMcpRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  options: McpRouteOptions = {},
): Promise<void> {
  // The MCP SDK and the tool catalog load with the first MCP request, not at every start. A load
  // that failed is not kept: that request gets the 500, the next one loads again.
  let loading: Promise<LoadedMcpEndpoint> | undefined;
  const loaded = () =>
    (loading ??= import('./load-endpoint.ts')
      .then((m) => m.loadMcpEndpoint(deps, options))
      .catch((error: unknown) => {
        loading = undefined;
        throw error;
      }));
  const hostGuard = createHostGuard(deps.config);
  app.addHook('onClose', async () => {
    const endpoint = await loading?.catch(() => undefined);
    await endpoint?.close();
  });

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
      scope.post(url, customAuthRoute, async (request, reply) =>
        (await loaded()).endpoint.handlePost(request, reply),
      );
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
