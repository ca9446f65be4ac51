/** The Fastify app factory: cross-cutting hooks here, each feature mounts its own routes. */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { registerAssistantRoutes } from '../features/assistant/index.ts';
import { registerConversationRoutes } from '../features/conversations/index.ts';
import { registerCreditRoutes } from '../features/credits/index.ts';
import { registerFollowupRoutes } from '../features/followup/index.ts';
import { registerPanelRoutes } from '../features/panel/index.ts';
import { customAuthRoute, publicRoute, registerShopRoutes } from '../features/shops/index.ts';
import { databaseAnswers } from '../db/availability.ts';
import { lazyRequestLogger } from '../lib/logger.ts';
import { registerMcpRoutes } from '../mcp/index.ts';
import { authPlugin } from './auth-plugin.ts';
import { registerConsole } from './console/index.ts';
import {
  answerClientError,
  answerFrameworkError,
  MAX_PATH_PARAM_CHARS,
  registerErrorHandling,
} from './errors.ts';
import { requireMetricsReader } from './metrics-access.ts';
import { noRouteSchemas } from './route-schemas.ts';
import { registerOpenApiRoute } from './openapi-route.ts';

/** How long /health waits for the database's answer before it reports `degraded`. */
const HEALTH_DATABASE_TIMEOUT_MS = 2_000;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps FastifyInstance at its default generics.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request lines would double the log volume of a busy panel; metrics count requests instead.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: deps.config.PARLEY_BODY_LIMIT_BYTES,
    // Behind no proxy by default; an operator adding one sets HOST and terminates TLS there.
    trustProxy: false,
    // Refusals made before a route runs answer in the same {"error":{code,message}} shape.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_CHARS },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // No route schemas (requests are validated with zod), so no ajv or fast-json-stringify to load.
    schemaController: noRouteSchemas,
  });
  registerErrorHandling(app);
  // Before any route: it refuses a route that does not say who may call it.
  await app.register(authPlugin, { deps });
  // Every API speaks JSON; a text body is a client mistake (415), not a string to validate.
  app.removeContentTypeParser('text/plain');

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // 503 `degraded` while the database does not answer; `ok` again once it does (docs/operations.md).
  app.get('/health', publicRoute, async (_request, reply) => {
    const reachable = await databaseAnswers(deps.db, HEALTH_DATABASE_TIMEOUT_MS);
    if (!reachable) reply.code(503);
    return { status: reachable ? 'ok' : 'degraded', database: deps.databaseKind, version: deps.version };
  });
  app.get('/metrics', customAuthRoute, async (request, reply) => {
    await requireMetricsReader(request, deps);
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  // docs/api.md is rendered from the same document (apps/server/src/http/openapi-routes.ts).
  registerOpenApiRoute(app, { version: deps.version });
  // First: its hook lets a console session reach the routes below (http/console/bridge.ts).
  registerConsole(app, deps);
  registerShopRoutes(app, deps);
  registerConversationRoutes(app, deps);
  registerPanelRoutes(app, deps);
  registerAssistantRoutes(app, deps);
  registerCreditRoutes(app, deps);
  registerFollowupRoutes(app, deps);
  await registerMcpRoutes(app, deps);
  await app.ready();
  return app;
}
