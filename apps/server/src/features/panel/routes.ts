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
import { requirePrincipal } from '../shops/index.ts';
import { parseInput } from '../../lib/validation.ts';
import { lookupJson } from './lookup-json.ts';
import { createPanelService } from './service.ts';

const panelCallers = ['shop', 'agent'] as const;

/** docs/side-panel.md. The service lives as long as the app: closing the app flushes the lookup audit. */
export function registerPanelRoutes(app: FastifyInstance, deps: AppDeps): void {
  const panel = createPanelService(deps);
  app.addHook('onClose', () => panel.close());

  app.get('/api/panel/customer', async (request, reply) => {
    const caller = await requirePrincipal(request, deps, panelCallers, { agentPermission: 'panel' });
    const answer = await panel.lookupCustomer(
      caller,
      parseInput(customerLookupQuery, request.query, 'query string'),
    );
    return reply.type('application/json; charset=utf-8').send(lookupJson(answer));
  });

  app.get('/api/panel/search', async (request) => {
    const caller = await requirePrincipal(request, deps, panelCallers, { agentPermission: 'panel' });
    return panel.search(caller, parseInput(panelSearchQuery, request.query, 'query string'));
  });

  app.post('/api/panel/links', async (request, reply) => {
    const caller = await requirePrincipal(request, deps, panelCallers, { agentPermission: 'panel' });
    const linked = await panel.linkCustomer(caller, parseBody(createPanelLinkRequest, request.body));
    reply.code(linked.created ? 201 : 200);
    return linked;
  });

  app.get('/api/panel/links', async (request) => {
    const caller = await requirePrincipal(request, deps, panelCallers, { agentPermission: 'panel' });
    return panel.listLinks(caller, parseInput(linksQuery, request.query, 'query string').phone);
  });

  app.delete<{ Params: { id: string } }>('/api/panel/links/:id', async (request, reply) => {
    const caller = await requirePrincipal(request, deps, panelCallers, { agentPermission: 'panel' });
    await panel.unlinkCustomer(caller, request.params.id);
    return reply.code(204).send();
  });

  // The audit says what agents looked at: for the shop (its owner), not for the agents themselves.
  app.get('/api/panel/audit', async (request) => {
    const caller = await requirePrincipal(request, deps, ['shop']);
    return panel.readAudit(caller.shopId, parseInput(auditQuery, request.query, 'query string'));
  });
}
