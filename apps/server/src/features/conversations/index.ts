export { registerConversationRoutes } from './routes.ts';
export { createPhoneFinder, type PhoneFinder } from './find-phones.ts';
export { listRecentMessages, listRecentMessagesOfChats, type StoredMessage } from './recent-messages.ts';
export { conversationHash, conversationHashKey } from './conversation-hash.ts';
