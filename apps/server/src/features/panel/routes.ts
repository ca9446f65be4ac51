import {
  auditQuery,
  createPanelLinkRequest,
  customerLookupQuery,
  linksQuery,
  panelSearchQuery,
} from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { parseBody } from '../../lib/validation.ts';
import { allowCallers } from '../shops/index.ts';
import { parseInput } from '../../lib/validation.ts';
import { lookupJson } from './lookup-json.ts';
import { createPanelService } from './service.ts';

const panelCallers = allowCallers(['shop', 'agent'], { agentPermission: 'panel' });
// The audit says what agents looked at: for the shop (its owner), not for the agents themselves.
const shopOnly = allowCallers(['shop']);

/** docs/side-panel.md. The service lives as long as the app: closing the app flushes the lookup audit. */
export function registerPanelRoutes(app: FastifyInstance, deps: AppDeps): void {
  const panel = createPanelService(deps);
  app.addHook('onClose', () => panel.close());

  app.get('/api/panel/customer', panelCallers.route, async (request, reply) => {
    const caller = panelCallers.principal(request);
    const answer = await panel.lookupCustomer(
      caller,
      parseInput(customerLookupQuery, request.query, 'query string'),
    );
    return reply.type('application/json; charset=utf-8').send(lookupJson(answer));
  });

  app.get('/api/panel/search', panelCallers.route, async (request) => {
    const caller = panelCallers.principal(request);
    return panel.search(caller, parseInput(panelSearchQuery, request.query, 'query string'));
  });

  app.post('/api/panel/links', panelCallers.route, async (request, reply) => {
    const caller = panelCallers.principal(request);
    const linked = await panel.linkCustomer(caller, parseBody(createPanelLinkRequest, request.body));
    reply.code(linked.created ? 201 : 200);
    return linked;
  });

  app.get('/api/panel/links', panelCallers.route, async (request) => {
    const caller = panelCallers.principal(request);
    return panel.listLinks(caller, parseInput(linksQuery, request.query, 'query string').phone);
  });

  app.delete<{ Params: { id: string } }>(
    '/api/panel/links/:id',
    panelCallers.route,
    async (request, reply) => {
      const caller = panelCallers.principal(request);
      await panel.unlinkCustomer(caller, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get('/api/panel/audit', shopOnly.route, async (request) => {
    const { shopId } = shopOnly.principal(request);
    return panel.readAudit(shopId, parseInput(auditQuery, request.query, 'query string'));
  });
}
