/**
 * Who is calling a route: the bearer token, authenticated, of one of the kinds the route takes (and,
 * for an agent, holding the permission it needs). Routes of every feature ask it through this feature.
 */
import type { AgentPermission } from '@parley/contract';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { AppError, unauthorized } from '../../lib/errors.ts';
import { authenticateToken, type Principal } from './authenticate.ts';

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

const whoMayCall: Record<Principal['kind'], string> = {
  admin: 'the admin token',
  shop: 'a shop token',
  agent: 'an agent token',
};

/**
 * Authenticates the request and checks the caller is one of `kinds`; 401 or 403 otherwise. An agent
 * must also hold `agentPermission` when one is named (shop tokens hold every permission).
 */
export async function requirePrincipal<K extends Principal['kind']>(
  request: FastifyRequest,
  deps: AppDeps,
  kinds: readonly K[],
  options: { agentPermission?: AgentPermission } = {},
): Promise<Extract<Principal, { kind: K }>> {
  const token = bearerToken(request);
  if (token === undefined) {
    throw unauthorized(
      'Unauthorized: invalid or missing Bearer token. Send "Authorization: Bearer <token>".',
    );
  }
  const principal = await authenticateToken(deps, token);
  if (principal === null) {
    // One answer for every refused token: whether a token ever existed is not the caller's to learn.
    throw unauthorized(
      'Unauthorized: invalid or missing Bearer token: this token is not valid (mistyped, replaced or revoked, ' +
        "or its shop is disabled). Ask the shop's administrator for a current one.",
    );
  }
  if (!(kinds as readonly string[]).includes(principal.kind)) {
    throw new AppError(
      'FORBIDDEN',
      `This endpoint needs ${kinds.map((k) => whoMayCall[k]).join(' or ')}; you sent ${whoMayCall[principal.kind]}.`,
      403,
    );
  }
  const needed = options.agentPermission;
  if (principal.kind === 'agent' && needed !== undefined && !principal.permissions.includes(needed)) {
    throw new AppError(
      'FORBIDDEN',
      `This agent lacks the "${needed}" permission; a shop token can grant it with PATCH /api/agents/:id (or the MCP tool update_agent).`,
      403,
    );
  }
  return principal as Extract<Principal, { kind: K }>;
}
