/**
 * Who may use MCP: a shop token only (SPEC §2, §3). Agent tokens are for the side panel and
 * conversations, the admin token manages shops; both are refused with a message saying so.
 * Every refusal starts with the sentence SPEC §3 fixes, so clients can match on it.
 */
import type { AppDeps } from '../app-deps.ts';
import { authenticateToken } from '../features/shops/index.ts';

export type McpCaller = { ok: true; shopId: string } | { ok: false; status: 401 | 403; message: string };

const UNAUTHORIZED = 'Unauthorized: invalid or missing Bearer token';

export async function identifyCaller(deps: AppDeps, token: string | undefined): Promise<McpCaller> {
  const principal = token === undefined ? null : await authenticateToken(deps, token);
  if (principal === null) {
    return {
      ok: false,
      status: 401,
      message: `${UNAUTHORIZED}. Send "Authorization: Bearer <shop token>" (the token POST /api/admin/shops returned).`,
    };
  }
  if (principal.kind === 'agent') {
    return {
      ok: false,
      status: 403,
      message: `${UNAUTHORIZED}: this is an agent token, which may use the side panel and conversations but not MCP. Use the shop token.`,
    };
  }
  if (principal.kind === 'admin') {
    return {
      ok: false,
      status: 403,
      message: `${UNAUTHORIZED}: this is the admin token, which manages shops; MCP configures one shop and needs that shop's token.`,
    };
  }
  return { ok: true, shopId: principal.shopId };
}
