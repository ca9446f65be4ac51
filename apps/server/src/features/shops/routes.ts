import { createAgentRequest, createShopRequest } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { parseBody, requirePrincipal } from '../../http/auth.ts';
import { createAgent, createShop, listAgents, listShops } from './service.ts';

export function registerShopRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/admin/shops', async (request, reply) => {
    await requirePrincipal(request, deps, ['admin']);
    const input = parseBody(createShopRequest, request.body);
    reply.code(201);
    return createShop(deps, input);
  });

  app.get('/api/admin/shops', async (request) => {
    await requirePrincipal(request, deps, ['admin']);
    return { shops: await listShops(deps.db) };
  });

  app.post('/api/agents', async (request, reply) => {
    const principal = await requirePrincipal(request, deps, ['shop']);
    const input = parseBody(createAgentRequest, request.body);
    reply.code(201);
    return createAgent(deps.db, principal.shopId, input);
  });

  app.get('/api/agents', async (request) => {
    const principal = await requirePrincipal(request, deps, ['shop']);
    return { agents: await listAgents(deps.db, principal.shopId) };
  });
}
