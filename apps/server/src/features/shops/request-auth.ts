/**
 * Who may call a route, and the check of a caller's bearer token against it. Every route declares its
 * access in its options (`config.auth`); the HTTP adapter's auth plugin (apps/server/src/http/auth-plugin.ts)
 * runs `authorizeBearer` before the route and leaves the caller on `request.principal`, which the route
 * reads through the accessor of the declaration it passed (docs/architecture.md#who-may-call-a-route).
 */
import type { AgentPermission } from '@parley/contract';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { AppError, unauthorized } from '../../lib/errors.ts';
import { authenticateToken, type Principal } from './authenticate.ts';

export type PrincipalKind = Principal['kind'];

/** Bearer tokens of one of `kinds`; an agent must also hold `agentPermission` when one is named. */
export interface CallerAccess<K extends PrincipalKind = PrincipalKind> {
  readonly kinds: readonly K[];
  readonly agentPermission?: AgentPermission;
}

/**
 * A route's access: `'public'` reads no credential (/health, the API document, the console's page and
 * sign-in); `'custom'` checks credentials in the route itself, with its own answers (/metrics and its
 * scraper token, the MCP endpoint's JSON-RPC refusals, the console's session); otherwise the callers.
 */
export type RouteAccess = 'public' | 'custom' | CallerAccess;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: the auth plugin refuses to register a route without it. */
    auth?: RouteAccess;
  }
  interface FastifyRequest {
    /** The caller the auth plugin let in; null on a public or custom route. Read it with `allowCallers`. */
    principal: Principal | null;
  }
}

/** The options of a route anyone may call. */
export const publicRoute = { config: { auth: 'public' } } as const;
/** The options of a route that checks its callers itself. */
export const customAuthRoute = { config: { auth: 'custom' } } as const;

export interface AllowedCallers<K extends PrincipalKind> {
  /** The route options that declare this access: `app.get(url, callers.route, handler)`. */
  readonly route: { readonly config: { readonly auth: CallerAccess<K> } };
  /** The caller the auth plugin let into this route, typed by the kinds declared. */
  principal(request: FastifyRequest): Extract<Principal, { kind: K }>;
}

/** Declares who may call a route and gives its handler the caller with the right type. */
export function allowCallers<K extends PrincipalKind>(
  kinds: readonly K[],
  options: { agentPermission?: AgentPermission } = {},
): AllowedCallers<K> {
  const auth: CallerAccess<K> = { kinds, ...options };
  return {
    route: { config: { auth } },
    principal(request) {
      const principal = request.principal;
      if (principal === null || !isOneOf(principal, kinds)) {
        // A fault, not a refusal: the route reads a caller it did not declare in its options.
        throw new Error(
          `${request.method} ${request.routeOptions.url ?? request.url} reads a caller (${kinds.join(', ')}) ` +
            'that its route options do not declare: pass this allowCallers(...).route to the route.',
        );
      }
      return principal;
    },
  };
}

const isOneOf = <K extends PrincipalKind>(
  principal: Principal,
  kinds: readonly K[],
): principal is Extract<Principal, { kind: K }> => (kinds as readonly string[]).includes(principal.kind);

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

const whoMayCall: Record<PrincipalKind, string> = {
  admin: 'the admin token',
  shop: 'a shop token',
  agent: 'an agent token',
};

/**
 * Authenticates a bearer token and checks its holder against `access`: 401 without a valid token, 403
 * for a holder of another kind or an agent without the permission (shop tokens hold every permission).
 */
export async function authorizeBearer<K extends PrincipalKind>(
  deps: AppDeps,
  token: string | undefined,
  access: CallerAccess<K>,
): Promise<Extract<Principal, { kind: K }>> {
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
  const { kinds, agentPermission: needed } = access;
  if (!isOneOf(principal, kinds)) {
    throw new AppError(
      'FORBIDDEN',
      `This endpoint needs ${kinds.map((k) => whoMayCall[k]).join(' or ')}; you sent ${whoMayCall[principal.kind]}.`,
      403,
    );
  }
  if (needed !== undefined && lacksPermission(principal, needed)) {
    throw new AppError(
      'FORBIDDEN',
      `This agent lacks the "${needed}" permission; a shop token can grant it with PATCH /api/agents/:id (or the MCP tool update_agent).`,
      403,
    );
  }
  return principal;
}

/** Only agents hold a subset of the permissions; shop and admin tokens hold every one. */
const lacksPermission = (principal: Principal, needed: AgentPermission): boolean =>
  principal.kind === 'agent' && !principal.permissions.includes(needed);
