import { dismissFollowupRequest, listFollowupsQuery } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { parseBody } from '../../lib/validation.ts';
import { allowCallers } from '../shops/index.ts';
import { parseInput } from '../../lib/validation.ts';
import { actOnFollowup, listFollowups } from './agent-queue.ts';

const agentCallers = allowCallers(['shop', 'agent'], { agentPermission: 'panel' });

/** The agents' follow-up queue (docs/smart-followup.md): shop tokens, and agents with `panel`. */
export function registerFollowupRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/followups', agentCallers.route, async (request) => {
    const caller = agentCallers.principal(request);
    const query = parseInput(listFollowupsQuery, request.query, 'query string');
    return { followups: await listFollowups(deps, caller.shopId, query) };
  });

  app.post<{ Params: { id: string } }>('/api/followups/:id/sent', agentCallers.route, async (request) => {
    const caller = agentCallers.principal(request);
    const agentId = caller.kind === 'agent' ? caller.agentId : null;
    return {
      followup: await actOnFollowup(deps, caller.shopId, request.params.id, { kind: 'sent', agentId }),
    };
  });

  app.post<{ Params: { id: string } }>('/api/followups/:id/dismiss', agentCallers.route, async (request) => {
    const caller = agentCallers.principal(request);
    const input = parseBody(dismissFollowupRequest, request.body);
    return {
      followup: await actOnFollowup(deps, caller.shopId, request.params.id, { kind: 'dismiss', input }),
    };
  });
}
