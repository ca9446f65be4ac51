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
import { allowCallers } from './request-auth.ts';
import { createAgent, deleteAgent, listAgents, rotateAgentToken, updateAgent } from './agents.ts';
import { createShop, deleteShop, listShops, setShopDisabled, updateShop } from './service.ts';
import { rotateShopToken } from './shop-token.ts';

type WithId = { Params: { id: string } };

const adminOnly = allowCallers(['admin']);
const shopOnly = allowCallers(['shop']);

export function registerShopRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/admin/shops', adminOnly.route, async (request, reply) => {
    const input = parseBody(createShopRequest, request.body);
    reply.code(201);
    return createShop(deps, input);
  });

  app.get('/api/admin/shops', adminOnly.route, async () => ({ shops: await listShops(deps.db) }));

  app.patch<WithId>('/api/admin/shops/:id', adminOnly.route, async (request) => {
    return updateShop(deps, request.params.id, parseBody(updateShopRequest, request.body));
  });

  app.post<WithId>('/api/admin/shops/:id/token', adminOnly.route, async (request) => {
    return rotateShopToken(deps, request.params.id);
  });

  app.post<WithId>('/api/admin/shops/:id/disable', adminOnly.route, async (request) => {
    return setShopDisabled(deps, request.params.id, true);
  });

  app.post<WithId>('/api/admin/shops/:id/enable', adminOnly.route, async (request) => {
    return setShopDisabled(deps, request.params.id, false);
  });

  app.delete<WithId>('/api/admin/shops/:id', adminOnly.route, async (request) => {
    return deleteShop(deps, request.params.id);
  });

  app.post('/api/agents', shopOnly.route, async (request, reply) => {
    const { shopId } = shopOnly.principal(request);
    const input = parseBody(createAgentRequest, request.body);
    reply.code(201);
    return createAgent(deps, shopId, input);
  });

  app.get('/api/agents', shopOnly.route, async (request) => {
    const { shopId } = shopOnly.principal(request);
    return { agents: await listAgents(deps.db, shopId) };
  });

  app.patch<WithId>('/api/agents/:id', shopOnly.route, async (request) => {
    const { shopId } = shopOnly.principal(request);
    return updateAgent(deps, shopId, request.params.id, parseBody(updateAgentRequest, request.body));
  });

  app.post<WithId>('/api/agents/:id/token', shopOnly.route, async (request) => {
    const { shopId } = shopOnly.principal(request);
    return rotateAgentToken(deps, shopId, request.params.id);
  });

  app.delete<WithId>('/api/agents/:id', shopOnly.route, async (request) => {
    const { shopId } = shopOnly.principal(request);
    return deleteAgent(deps, shopId, request.params.id);
  });
}
