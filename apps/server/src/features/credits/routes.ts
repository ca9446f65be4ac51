import { addCreditsRequest } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { parseBody } from '../../lib/validation.ts';
import { allowCallers } from '../shops/index.ts';
import { addPurchasedCredits } from './purchases.ts';
import { loadCreditShop } from './shop.ts';

const adminOnly = allowCallers(['admin']);

export function registerCreditRoutes(app: FastifyInstance, deps: AppDeps): void {
  // 201 for a new purchase, 200 when the reference was already added: a retry is not a second purchase.
  app.post<{ Params: { id: string } }>(
    '/api/admin/shops/:id/credits',
    adminOnly.route,
    async (request, reply) => {
      const input = parseBody(addCreditsRequest, request.body);
      const result = await addPurchasedCredits(deps, await loadCreditShop(deps, request.params.id), input);
      reply.code(result.created ? 201 : 200);
      return result;
    },
  );
}
