import { postConversationMessagesRequest } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { parseBody } from '../../lib/validation.ts';
import { requirePrincipal } from '../shops/index.ts';
import { ingestConversationMessages } from './intake.ts';

export function registerConversationRoutes(app: FastifyInstance, deps: AppDeps): void {
  // 200, not 201: posting the same batch again is a normal retry that creates nothing.
  app.post('/api/conversations/messages', async (request) => {
    const principal = await requirePrincipal(request, deps, ['shop', 'agent'], {
      agentPermission: 'conversations',
    });
    const input = parseBody(postConversationMessagesRequest, request.body);
    return ingestConversationMessages(deps, principal.shopId, input);
  });
}
