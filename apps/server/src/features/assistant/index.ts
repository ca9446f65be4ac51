export { registerAssistantRoutes } from './routes.ts';
export { assistantTools } from './tools.ts';
export { suggestReply, type SuggestReplyOptions } from './suggest-reply.ts';
