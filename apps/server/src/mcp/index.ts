import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';

export async function registerMcpRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
