/**
 * Who may use MCP: a shop token only (docs/mcp.md#a-missing-or-wrong-token, docs/tokens-and-agents.md). Agent
 * tokens are for the side panel and conversations, the admin token manages shops; both are refused with a
 * message saying so. Every refusal starts with the sentence docs/mcp.md#a-missing-or-wrong-token gives, so
 * clients can match on it.
 *
 * Every refusal is a 403 without a `WWW-Authenticate` challenge: MCP clients read a 401 as "start
 * OAuth" whatever the challenge says, and Parley's tokens are not issued by OAuth, so the dance
 * could only end in an error that hides this message (docs/decisions/mcp-auth-errors.md).
 */
import type { AppDeps } from '../app-deps.ts';
import { authenticateToken } from '../features/shops/index.ts';

export type McpRefusal = 'missing-token' | 'unknown-token' | 'not-a-shop-token';

export type McpCaller =
  { ok: true; shopId: string } | { ok: false; reason: McpRefusal; status: 403; message: string };

const UNAUTHORIZED = 'Unauthorized: invalid or missing Bearer token';
const HOW =
  'Send "Authorization: Bearer <shop token>" (the token POST /api/admin/shops returned), set as a header in your MCP client\'s configuration: this server does not use OAuth.';

const refuse = (reason: McpRefusal, message: string): McpCaller => ({
  ok: false,
  reason,
  status: 403,
  message,
});

export async function identifyCaller(deps: AppDeps, token: string | undefined): Promise<McpCaller> {
  if (token === undefined) return refuse('missing-token', `${UNAUTHORIZED}: the request has none. ${HOW}`);
  const principal = await authenticateToken(deps, token);
  if (principal === null) {
    return refuse(
      'unknown-token',
      `${UNAUTHORIZED}: this token is not valid (mistyped, rotated or revoked, or its shop is disabled). ${HOW}`,
    );
  }
  if (principal.kind === 'agent') {
    return refuse(
      'not-a-shop-token',
      `${UNAUTHORIZED}: this is an agent token, which may use the side panel and conversations but not MCP. Use the shop token.`,
    );
  }
  if (principal.kind === 'admin') {
    return refuse(
      'not-a-shop-token',
      `${UNAUTHORIZED}: this is the admin token, which manages shops; MCP configures one shop and needs that shop's token.`,
    );
  }
  return { ok: true, shopId: principal.shopId };
}
