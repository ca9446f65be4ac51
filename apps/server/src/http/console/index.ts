/**
 * The web console (docs/console.md): its built page and assets, sign-in and sign-out, and the
 * bridge that lets the page call the existing APIs (MCP tools, agents, admin) with its session.
 * It adds no business logic: every page calls the same tools and routes any other client does.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { defaultConsoleDir, registerConsoleAssets } from './assets.ts';
import { createConsoleBridge } from './bridge.ts';
import { registerSessionRoutes } from './session-routes.ts';

export function registerConsole(app: FastifyInstance, deps: AppDeps): void {
  const bridge = createConsoleBridge(deps);
  app.addHook('onRequest', bridge.hook);
  registerSessionRoutes(app, deps, bridge);
  registerConsoleAssets(app, defaultConsoleDir);
}
