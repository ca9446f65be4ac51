/**
 * One low-level SDK `Server` per HTTP request (the endpoint is stateless). The low-level class,
 * rather than McpServer.registerTool, leaves argument validation, the confirmation flow and
 * result shaping to Parley, where docs/mcp.md pins them down. The SDK still owns the protocol:
 * initialize and server/discover, envelopes of both eras, method routing, params checks.
 */
import { ProtocolError, Server, type AuthInfo } from '@modelcontextprotocol/server';
import type { AppDeps } from '../app-deps.ts';
import { callTool } from './call-tool.ts';
import { JsonRpcCode } from './json-rpc.ts';
import type { ToolCatalog } from './tool-catalog.ts';

/** What the factory reads from the SDK's per-request context. */
export interface ServerContext {
  /** `clientId` is the authenticated shop's id; absent on initialize and server/discover. */
  authInfo?: AuthInfo;
}

export type ServerFactory = (ctx: ServerContext) => Server;

const instructions =
  'Parley connects this shop to its CRM, webhooks and custom functions. Tools that change the configuration ' +
  'need confirmation: call them once to preview (nothing changes), then again with the same arguments plus "confirm": true.';

export function createServerFactory(deps: AppDeps, catalog: ToolCatalog): ServerFactory {
  return ({ authInfo }) => {
    const server = new Server(
      { name: 'parley', title: 'Parley', version: deps.version },
      { capabilities: { tools: { listChanged: false } }, instructions },
    );
    server.setRequestHandler('tools/list', () => ({ tools: catalog.descriptors }));
    server.setRequestHandler('tools/call', async (request) => {
      const { name, arguments: args } = request.params;
      const tool = catalog.find(name);
      if (tool === undefined) {
        throw new ProtocolError(
          JsonRpcCode.INVALID_PARAMS,
          `Unknown tool ${JSON.stringify(name.slice(0, 100))}. Call tools/list for the tools this server has.`,
        );
      }
      if (authInfo === undefined) {
        // The endpoint authenticates before the SDK sees a tools/call; reaching here is a bug.
        deps.logger.error({ tool: name }, 'MCP tools/call without an authenticated shop');
        throw new ProtocolError(
          JsonRpcCode.INTERNAL_ERROR,
          'Internal error; the details are in the server log.',
        );
      }
      return callTool(tool, args ?? {}, { shopId: authInfo.clientId, deps });
    });
    return server;
  };
}
