/**
 * Raw JSON-RPC over `app.inject()`, for tests that assert the exact wire behaviour of /api/mcp; and
 * tools/call over real HTTP, for tests that drive a server process.
 */
import type { FastifyInstance } from 'fastify';

export const MODERN_VERSION = '2026-07-28';
export const LEGACY_VERSION = '2025-06-18';

export interface McpReply {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The raw body, for asserting what must never appear in it. */
  text: string;
  json: {
    jsonrpc?: string;
    id?: unknown;
    result?: Record<string, unknown>;
    error?: { code: number; message: string };
  };
}

export interface PostOptions {
  token?: string;
  headers?: Record<string, string>;
  path?: string;
}

export async function postMcp(
  app: FastifyInstance,
  body: unknown,
  options: PostOptions = {},
): Promise<McpReply> {
  const response = await app.inject({
    method: 'POST',
    url: options.path ?? '/api/mcp',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'mcp-protocol-version': LEGACY_VERSION,
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    text: response.body,
    json: response.body === '' ? {} : (JSON.parse(response.body) as McpReply['json']),
  };
}

let nextId = 1;

export interface ToolCallResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: Record<string, unknown>;
}

/** A 2025-era tools/call; fails the test unless the answer is a JSON-RPC result. */
export async function callTool(
  app: FastifyInstance,
  token: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolCallResult & { raw: string }> {
  const reply = await postMcp(
    app,
    { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } },
    { token },
  );
  if (reply.json.result === undefined) {
    throw new Error(`tools/call ${name} answered ${reply.status} without a result: ${reply.text}`);
  }
  return { ...(reply.json.result as unknown as ToolCallResult), raw: reply.text };
}

/** One 2025-era JSON-RPC request to a server listening at `baseUrl` (a spawned process). */
export async function postMcpOverHttp(
  baseUrl: string,
  token: string,
  method: string,
  params?: Record<string, unknown>,
): Promise<{ status: number; text: string; json: McpReply['json'] }> {
  const response = await fetch(`${baseUrl}/api/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'mcp-protocol-version': LEGACY_VERSION,
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method,
      ...(params === undefined ? {} : { params }),
    }),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as McpReply['json'] };
}

/** A 2025-era tools/call to a server listening at `baseUrl` (a spawned process). */
export async function callToolOverHttp(
  baseUrl: string,
  token: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolCallResult> {
  const reply = await postMcpOverHttp(baseUrl, token, 'tools/call', { name, arguments: args });
  if (reply.json.result === undefined) {
    throw new Error(`tools/call ${name} answered ${reply.status} without a result: ${reply.text}`);
  }
  return reply.json.result as unknown as ToolCallResult;
}

/** The one text item of a result. */
export function textOf(result: ToolCallResult): string {
  const [item, ...rest] = result.content;
  if (item === undefined || rest.length > 0 || item.type !== 'text') {
    throw new Error(`expected exactly one text item, got ${JSON.stringify(result.content)}`);
  }
  return item.text;
}
