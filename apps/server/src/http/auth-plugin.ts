/**
 * Authentication as a Fastify plugin: every route declares who may call it in its options
 * (`config.auth`, see apps/server/src/features/shops/request-auth.ts), and this plugin enforces it.
 * A route that declares nothing is refused when it is registered, so the server does not start with an
 * open route nobody chose to open (docs/architecture.md#who-may-call-a-route).
 */
import type { FastifyPluginAsync, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { authorizeBearer, bearerToken, type CallerAccess } from '../features/shops/index.ts';

const authPluginFunction: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const access = route.config?.auth;
    if (access === undefined) {
      throw new Error(
        `${String(route.method)} ${route.url} declares no access: pass allowCallers([...]).route, ` +
          'publicRoute or customAuthRoute (features/shops) as its options (docs/architecture.md#who-may-call-a-route).',
      );
    }
    if (access === 'public' || access === 'custom') return;
    // A route-level hook runs after every app-level onRequest hook, so the console's session has already
    // become a bearer header (http/console/bridge.ts), and before the body is read: a stranger's body is
    // never parsed.
    route.onRequest = [authenticateFor(deps, access), ...routeHooks(route.onRequest)];
  });
};

function authenticateFor(deps: AppDeps, access: CallerAccess): onRequestHookHandler {
  return async function authenticate(request: FastifyRequest) {
    request.principal = await authorizeBearer(deps, bearerToken(request), access);
  };
}

const routeHooks = (hooks: RouteOptions['onRequest']): onRequestHookHandler[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks as onRequestHookHandler];

// Not encapsulated (what fastify-plugin sets): the hook and the decoration apply to the whole app.
export const authPlugin = Object.assign(authPluginFunction, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'parley-auth',
});
