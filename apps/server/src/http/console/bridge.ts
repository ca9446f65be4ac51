/**
 * The console's requests reach the same routes as every other client: this hook turns a valid
 * session cookie into the `Authorization: Bearer` header of the token the session was opened with,
 * so MCP tools, agent and admin routes run unchanged, with their own checks and messages.
 * Before that it re-authenticates the token (a rotated or revoked one ends the session) and, for
 * anything but a read, checks the CSRF header and the Origin.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { authenticateToken, type Principal } from '../../features/shops/index.ts';
import type { ApiErrorBody } from '@parley/contract';
import { clearSessionCookie, readSessionCookie } from './cookies.ts';
import { closeSession, csrfTokenOf, findSession, type OpenSession } from './session-store.ts';

export const CSRF_HEADER = 'x-parley-csrf';

/** The APIs the console uses; the rest of /api (side panel, conversations) takes bearer tokens only. */
const BRIDGED_PREFIXES = ['/api/mcp', '/api/agents', '/api/admin/', '/api/console/'];
/** Signing in has no session yet; it is guarded by the Origin check and its JSON body instead. */
const SIGN_IN = '/api/console/session';

export interface ConsoleRequestState {
  session: OpenSession;
  principal: Exclude<Principal, { kind: 'agent' }>;
}

const READS = new Set(['GET', 'HEAD']);

type Refusal = { status: 401 | 403; body: ApiErrorBody };

const refusal = (status: Refusal['status'], code: string, message: string): Refusal => ({
  status,
  body: { error: { code, message } },
});

const sessionEnded = refusal(
  401,
  'SESSION_ENDED',
  'Your console session has ended (signed out, expired, or its token was rotated or revoked). Sign in again.',
);
const csrfMissing = refusal(
  403,
  'CSRF_REJECTED',
  `Refused: a console request that changes something must carry the ${CSRF_HEADER} header the console page sets. Reload the console and try again.`,
);

export interface ConsoleBridge {
  hook(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** What the bridge found for this request, read by the console's own routes. */
  stateOf(request: FastifyRequest): ConsoleRequestState | undefined;
}

export function createConsoleBridge(deps: AppDeps): ConsoleBridge {
  const states = new WeakMap<FastifyRequest, ConsoleRequestState>();
  // Refusals are sent from here, not thrown: the MCP scope maps thrown errors to JSON-RPC, and the
  // console reads the same { error: { code, message } } body from every path.
  const refuse = (reply: FastifyReply, { status, body }: Refusal) => reply.code(status).send(body);
  const hook = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const path = request.url.split('?')[0] ?? '';
    if (!BRIDGED_PREFIXES.some((prefix) => path.startsWith(prefix))) return undefined;
    // A bearer token wins: API clients (the extension too) are unaffected by a console cookie.
    if (request.headers.authorization !== undefined) return undefined;
    if (!READS.has(request.method)) {
      const foreign = foreignOrigin(request);
      if (foreign !== undefined) return refuse(reply, foreign);
    }
    const cookie = readSessionCookie(request);
    if (cookie === undefined || (path === SIGN_IN && request.method === 'POST')) return undefined;

    const session = await findSession(deps, cookie);
    const principal = session === null ? null : await authenticateToken(deps, session.token);
    if (session === null || principal === null || principal.kind === 'agent') {
      if (session !== null) await closeSession(deps, session.id);
      clearSessionCookie(request, reply);
      return refuse(reply, sessionEnded);
    }
    if (!READS.has(request.method) && !csrfHeaderMatches(request, csrfTokenOf(deps.signingKey, session.id))) {
      return refuse(reply, csrfMissing);
    }
    request.headers.authorization = `Bearer ${session.token}`;
    states.set(request, { session, principal });
    return undefined;
  };
  return { hook, stateOf: (request) => states.get(request) };
}

function csrfHeaderMatches(request: FastifyRequest, expected: string): boolean {
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Browsers send Origin on every cross-site write; one that is not this server is refused outright. */
function foreignOrigin(request: FastifyRequest): Refusal | undefined {
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host !== undefined && host === request.headers.host) return undefined;
  return refusal(
    403,
    'CSRF_REJECTED',
    `Refused: this request comes from another site (${origin}); the console only accepts changes from its own page.`,
  );
}
