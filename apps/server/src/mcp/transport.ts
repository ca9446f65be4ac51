/**
 * Serves one parsed MCP message through the SDK, in whichever protocol era the client speaks.
 * 2026-07-28 traffic (a `_meta` envelope) goes to `createMcpHandler`. 2025-era traffic goes to a
 * per-request streamable HTTP transport with `enableJsonResponse`, because the SDK's own
 * stateless fallback always answers in SSE (see docs/decisions/mcp-transport.md).
 */
import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
} from '@modelcontextprotocol/server';
import type { ServerFactory } from './server-factory.ts';

export interface McpTransport {
  /** `request` carries the headers only: the body is passed already parsed. */
  serve(request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined): Promise<Response>;
  close(): Promise<void>;
}

export function createMcpTransport(factory: ServerFactory, onerror: (error: Error) => void): McpTransport {
  const modern = createMcpHandler(factory, { legacy: 'reject', onerror });

  async function serveLegacy(request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined) {
    const server = factory({ authInfo });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    transport.onerror = onerror;
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, { parsedBody, ...(authInfo && { authInfo }) });
    } finally {
      // A JSON response is complete once returned, so the per-request instance can go.
      await server.close();
    }
  }

  return {
    async serve(request, parsedBody, authInfo) {
      if (await isLegacyRequest(request, parsedBody)) return serveLegacy(request, parsedBody, authInfo);
      return modern.fetch(request, { parsedBody, ...(authInfo && { authInfo }) });
    },
    close: () => modern.close(),
  };
}
