/**
 * POST /api/mcp: the checks that need Parley's own answers, in order, then the SDK.
 * media type → JSON → envelope → rate limit → notifications (202) → unknown-token limit → auth →
 * SDK (Host and Origin were checked before the body was read, in index.ts). Every refusal is a
 * JSON-RPC error body echoing the request id when there is one.
 */
import { isJsonContentType, type AuthInfo } from '@modelcontextprotocol/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { bearerToken } from '../features/shops/index.ts';
import { hashToken } from '../lib/tokens.ts';
import { identifyCaller, type McpCaller } from './caller.ts';
import {
  inspectMessage,
  jsonRpcError,
  JsonRpcCode,
  sendRpcError,
  type JsonRpcErrorBody,
} from './json-rpc.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { McpTransport } from './transport.ts';

/** Methods that work without a token: a client must be able to learn what the server is first. */
const OPEN_METHODS = new Set(['initialize', 'server/discover']);

/** The headers the SDK reads; the rest (cookies, the token itself) stay out of it. */
const FORWARDED_HEADERS = ['content-type', 'mcp-protocol-version', 'mcp-method', 'mcp-name'];

export interface McpEndpoint {
  handlePost(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
}

export interface McpLimits {
  /** Requests per token (or per address without one): PARLEY_MCP_RATE_LIMIT a minute. */
  requests: RateLimiter;
  /** Unknown tokens per client address, so that tokens cannot be guessed at full speed. */
  unknownTokens: RateLimiter;
}

export function createMcpEndpoint(deps: AppDeps, transport: McpTransport, limits: McpLimits): McpEndpoint {
  return {
    async handlePost(request, reply) {
      const mediaRefusal = refuseMediaTypes(request);
      if (mediaRefusal !== undefined) return sendRpcError(reply, mediaRefusal.status, mediaRefusal.body);
      let body: unknown;
      try {
        body = JSON.parse(String(request.body));
      } catch {
        const parseError = jsonRpcError(
          null,
          JsonRpcCode.PARSE_ERROR,
          'Parse error: the body is not valid JSON.',
        );
        return sendRpcError(reply, 400, parseError);
      }
      const message = inspectMessage(body);
      const id = message.kind === 'notification' ? null : message.id;

      const token = bearerToken(request);
      // Keyed by the token's hash so the long-lived map never holds a usable credential.
      const rate = limits.requests.take(
        token === undefined ? `ip:${request.ip}` : `token:${hashToken(token)}`,
      );
      if (!rate.allowed) {
        const tooMany = `Too many requests: at most ${limits.requests.limit} MCP requests per minute per token. Retry after ${rate.retryAfterSeconds} s.`;
        reply.header('retry-after', String(rate.retryAfterSeconds));
        return sendRpcError(reply, 429, jsonRpcError(id, JsonRpcCode.RATE_LIMITED, tooMany));
      }

      if (message.kind === 'invalid') {
        return sendRpcError(reply, 400, jsonRpcError(id, message.code, message.message));
      }
      // A stateless server keeps nothing a notification could update (initialized, cancelled).
      if (message.kind === 'notification') return reply.code(202).send();

      let authInfo: AuthInfo | undefined;
      if (!OPEN_METHODS.has(message.method)) {
        const address = `ip:${request.ip}`;
        // Every token counts as a guess until it is found, so that concurrent guesses count too,
        // and the refusal comes before the lookup, so that a right guess is not told apart.
        const guess = token === undefined ? undefined : limits.unknownTokens.take(address);
        if (guess?.allowed === false) {
          const tooMany = `Too many requests: ${limits.unknownTokens.limit} unknown tokens came from this address within a minute. Retry after ${guess.retryAfterSeconds} s, with a valid shop token.`;
          reply.header('retry-after', String(guess.retryAfterSeconds));
          return sendRpcError(reply, 429, jsonRpcError(id, JsonRpcCode.RATE_LIMITED, tooMany));
        }
        let caller: McpCaller | undefined;
        try {
          caller = await identifyCaller(deps, token);
        } finally {
          const unknown = caller?.ok === false && caller.reason === 'unknown-token';
          if (guess !== undefined && !unknown) limits.unknownTokens.release(address);
        }
        if (!caller.ok) {
          return sendRpcError(
            reply,
            caller.status,
            jsonRpcError(id, JsonRpcCode.UNAUTHORIZED, caller.message),
          );
        }
        authInfo = { token: token ?? '', clientId: caller.shopId, scopes: [] };
      }

      const response = await transport.serve(toSdkRequest(request), body, authInfo);
      reply.code(response.status);
      response.headers.forEach((value, name) => {
        if (name !== 'content-length') reply.header(name, value);
      });
      return reply.send(response.body === null ? undefined : await response.text());
    },
  };
}

function refuseMediaTypes(request: FastifyRequest): { status: number; body: JsonRpcErrorBody } | undefined {
  if (!isJsonContentType(request.headers['content-type'] ?? null)) {
    const message = 'Unsupported Media Type: send one JSON-RPC message with Content-Type: application/json.';
    return { status: 415, body: jsonRpcError(null, JsonRpcCode.INVALID_REQUEST, message) };
  }
  if (!acceptsJson(request.headers.accept)) {
    const message =
      'Not Acceptable: this endpoint answers with application/json; include it in the Accept header.';
    return { status: 406, body: jsonRpcError(null, JsonRpcCode.INVALID_REQUEST, message) };
  }
  return undefined;
}

/** No Accept header means anything goes; otherwise JSON must be among the accepted types. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((range) => range.split(';')[0]?.trim().toLowerCase())
    .some((type) => type === 'application/json' || type === 'application/*' || type === '*/*');
}

function toSdkRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // The SDK's 2025-era transport insists on both types even in JSON mode; the client's Accept was
  // checked above, and this server never streams, so JSON is what it gets either way.
  headers.set('accept', 'application/json, text/event-stream');
  return new Request('http://parley.invalid/api/mcp', { method: 'POST', headers });
}
