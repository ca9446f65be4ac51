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

export interface ConsoleOptions {
  /** Where the built console lives; apps/console/dist unless a test serves another build. */
  dir?: string;
}

export function registerConsole(app: FastifyInstance, deps: AppDeps, options: ConsoleOptions = {}): void {
  const bridge = createConsoleBridge(deps);
  app.addHook('onRequest', bridge.hook);
  registerSessionRoutes(app, deps, bridge);
  registerConsoleAssets(app, options.dir ?? defaultConsoleDir);
}
