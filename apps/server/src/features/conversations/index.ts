export { registerConversationRoutes } from './routes.ts';
export { createPhoneFinder, type PhoneFinder } from './find-phones.ts';
