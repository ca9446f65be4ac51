/** Shops (admin token) and agents (shop token) over REST: thin adapters over the same services as the MCP tools. */
import {
  createAgentRequest,
  createShopRequest,
  updateAgentRequest,
  updateShopRequest,
} from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { parseBody } from '../../lib/validation.ts';
import { requirePrincipal } from './request-auth.ts';
import { createAgent, deleteAgent, listAgents, rotateAgentToken, updateAgent } from './agents.ts';
import { createShop, deleteShop, listShops, setShopDisabled, updateShop } from './service.ts';
import { rotateShopToken } from './shop-token.ts';

type WithId = { Params: { id: string } };

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

  app.patch<WithId>('/api/admin/shops/:id', async (request) => {
    await requirePrincipal(request, deps, ['admin']);
    return updateShop(deps, request.params.id, parseBody(updateShopRequest, request.body));
  });

  app.post<WithId>('/api/admin/shops/:id/token', async (request) => {
    await requirePrincipal(request, deps, ['admin']);
    return rotateShopToken(deps, request.params.id);
  });

  app.post<WithId>('/api/admin/shops/:id/disable', async (request) => {
    await requirePrincipal(request, deps, ['admin']);
    return setShopDisabled(deps, request.params.id, true);
  });

  app.post<WithId>('/api/admin/shops/:id/enable', async (request) => {
    await requirePrincipal(request, deps, ['admin']);
    return setShopDisabled(deps, request.params.id, false);
  });

  app.delete<WithId>('/api/admin/shops/:id', async (request) => {
    await requirePrincipal(request, deps, ['admin']);
    return deleteShop(deps, request.params.id);
  });

  app.post('/api/agents', async (request, reply) => {
    const principal = await requirePrincipal(request, deps, ['shop']);
    const input = parseBody(createAgentRequest, request.body);
    reply.code(201);
    return createAgent(deps, principal.shopId, input);
  });

  app.get('/api/agents', async (request) => {
    const principal = await requirePrincipal(request, deps, ['shop']);
    return { agents: await listAgents(deps.db, principal.shopId) };
  });

  app.patch<WithId>('/api/agents/:id', async (request) => {
    const principal = await requirePrincipal(request, deps, ['shop']);
    return updateAgent(
      deps,
      principal.shopId,
      request.params.id,
      parseBody(updateAgentRequest, request.body),
    );
  });

  app.post<WithId>('/api/agents/:id/token', async (request) => {
    const principal = await requirePrincipal(request, deps, ['shop']);
    return rotateAgentToken(deps, principal.shopId, request.params.id);
  });

  app.delete<WithId>('/api/agents/:id', async (request) => {
    const principal = await requirePrincipal(request, deps, ['shop']);
    return deleteAgent(deps, principal.shopId, request.params.id);
  });
}
