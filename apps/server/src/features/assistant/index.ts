export { registerAssistantRoutes } from './routes.ts';
export { assistantTools } from './tools.ts';
export { suggestReply, type SuggestReplyOptions } from './suggest-reply.ts';
export { gatherCustomerContext, type CustomerContext } from './customer-context.ts';
export { resolveModelTarget } from './model-settings.ts';
export type { CustomerData } from './prompt.ts';
