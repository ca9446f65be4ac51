/**
 * Signing in and out of the console (docs/console.md): a shop or admin token becomes a session
 * cookie; GET tells the page who is signed in and the CSRF token to send; DELETE signs out.
 */
import { consoleSignInRequest } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { authenticateToken, customAuthRoute, getShop, publicRoute } from '../../features/shops/index.ts';
import { AppError, unauthorized } from '../../lib/errors.ts';
import { parseBody } from '../../lib/validation.ts';
import type { ConsoleBridge } from './bridge.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './cookies.ts';
import { closeSession, csrfTokenOf, openSession, SESSION_TTL_MS, sessionIdOf } from './session-store.ts';

export function registerSessionRoutes(app: FastifyInstance, deps: AppDeps, bridge: ConsoleBridge): void {
  // Signing in takes the token in its body, checked here with the console's own answers.
  app.post('/api/console/session', publicRoute, async (request, reply) => {
    const { token } = parseBody(consoleSignInRequest, request.body);
    const principal = await authenticateToken(deps, token);
    if (principal === null)
      throw unauthorized('Unauthorized: this token is not valid (revoked, rotated or mistyped).');
    if (principal.kind === 'agent') {
      throw new AppError(
        'FORBIDDEN',
        'This is an agent token, which is for the side panel; the console needs a shop token or the admin token.',
        403,
      );
    }
    const previous = readSessionCookie(request);
    if (previous !== undefined) await closeSession(deps, sessionIdOf(previous));
    const session = await openSession(deps, token, principal.kind === 'shop' ? principal.shopId : null);
    setSessionCookie(request, reply, session.cookie, SESSION_TTL_MS);
    return reply.code(204).send();
  });

  // The session the bridge found is the credential (http/console/bridge.ts).
  app.get('/api/console/session', customAuthRoute, async (request) => {
    const state = bridge.stateOf(request);
    if (state === undefined)
      throw unauthorized('Not signed in to the console: sign in with a shop or admin token.');
    const { principal, session } = state;
    const shop = principal.kind === 'shop' ? await getShop(deps.db, principal.shopId) : null;
    return {
      kind: principal.kind,
      shop: shop === null ? null : { id: shop.id, name: shop.name, locale: shop.locale },
      csrf_token: csrfTokenOf(deps.signingKey, session.id),
      expires_at: session.expiresAt.toISOString(),
    };
  });

  app.delete('/api/console/session', customAuthRoute, async (request, reply) => {
    const state = bridge.stateOf(request);
    if (state !== undefined) await closeSession(deps, state.session.id);
    clearSessionCookie(request, reply);
    return reply.code(204).send();
  });
}
