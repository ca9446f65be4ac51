/**
 * The JSON-RPC envelope as Parley checks it before the MCP SDK sees a message: the checks that
 * must answer with a precise code (and the request id) even for callers that are not
 * authenticated, or whose message the SDK would reject with a vaguer code.
 */

import type { FastifyReply } from 'fastify';

export type JsonRpcId = string | number;

export const JsonRpcCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /**
   * Server-defined range; Parley uses it for a missing or refused token
   * (docs/mcp.md#a-missing-or-wrong-token).
   */
  UNAUTHORIZED: -32000,
  /** Server-defined too; 29 as in HTTP 429. */
  RATE_LIMITED: -32029,
} as const;

export interface JsonRpcErrorBody {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  error: { code: number; message: string };
}

export const jsonRpcError = (id: JsonRpcId | null, code: number, message: string): JsonRpcErrorBody => ({
  jsonrpc: '2.0',
  id,
  error: { code, message },
});

export type InboundMessage =
  | { kind: 'request'; id: JsonRpcId; method: string }
  | { kind: 'notification'; method: string }
  | { kind: 'invalid'; id: JsonRpcId | null; code: number; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isId = (value: unknown): value is JsonRpcId =>
  typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

/** Classifies one parsed POST body; anything that is not a single request or notification is invalid. */
export function inspectMessage(body: unknown): InboundMessage {
  if (Array.isArray(body)) {
    // MCP dropped JSON-RPC batching in 2025-06-18; refusing keeps auth and rate limits per message.
    return invalid(null, 'Batch requests are not supported: send one JSON-RPC message per POST.');
  }
  if (!isRecord(body)) return invalid(null, 'The body must be a JSON-RPC 2.0 message object.');
  const id = isId(body.id) ? body.id : null;
  if (body.jsonrpc !== '2.0') return invalid(id, 'The message must have "jsonrpc": "2.0".');
  if (typeof body.method !== 'string' || body.method === '') {
    return invalid(
      id,
      'The message must have a "method" string (this endpoint accepts requests and notifications only).',
    );
  }
  if ('id' in body && id === null) {
    return invalid(null, 'The request "id" must be a string or a number.');
  }
  if (body.params !== undefined && !isRecord(body.params)) {
    if (id === null) return { kind: 'notification', method: body.method };
    return {
      kind: 'invalid',
      id,
      code: JsonRpcCode.INVALID_PARAMS,
      message: `Invalid params: "params" must be an object for ${body.method}.`,
    };
  }
  return id === null
    ? { kind: 'notification', method: body.method }
    : { kind: 'request', id, method: body.method };
}

const invalid = (id: JsonRpcId | null, message: string): InboundMessage => ({
  kind: 'invalid',
  id,
  code: JsonRpcCode.INVALID_REQUEST,
  message: `Invalid Request: ${message}`,
});

export const sendRpcError = (reply: FastifyReply, status: number, body: JsonRpcErrorBody) =>
  reply.code(status).type('application/json').send(body);
