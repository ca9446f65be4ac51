import { suggestReplyRequest } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { parseBody } from '../../lib/validation.ts';
import { allowCallers } from '../shops/index.ts';
import { suggestReply } from './suggest-reply.ts';

const assistantUsers = allowCallers(['shop', 'agent'], { agentPermission: 'ai' });

export function registerAssistantRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/ai/suggest-reply', assistantUsers.route, async (request, reply) => {
    const { shopId } = assistantUsers.principal(request);
    const input = parseBody(suggestReplyRequest, request.body);
    const { response, timing } = await suggestReply(deps, shopId, input);
    // Where the time went, for browser dev tools and the overhead benchmark.
    reply.header(
      'server-timing',
      `total;dur=${timing.total}, model;dur=${timing.model}, functions;dur=${timing.functions}, crm;dur=${timing.crm}`,
    );
    return response;
  });
}
