import { postConversationMessagesRequest } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { parseBody } from '../../lib/validation.ts';
import { allowCallers } from '../shops/index.ts';
import { ingestConversationMessages } from './intake.ts';

const messageSenders = allowCallers(['shop', 'agent'], { agentPermission: 'conversations' });

export function registerConversationRoutes(app: FastifyInstance, deps: AppDeps): void {
  // 200, not 201: posting the same batch again is a normal retry that creates nothing.
  app.post('/api/conversations/messages', messageSenders.route, async (request) => {
    const { shopId } = messageSenders.principal(request);
    const input = parseBody(postConversationMessagesRequest, request.body);
    return ingestConversationMessages(deps, shopId, input);
  });
}
