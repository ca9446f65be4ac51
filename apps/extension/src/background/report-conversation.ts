/**
 * Sends the messages of a chat to the conversation API (docs/api.md), when the agent turned it
 * on. The content script reads them (WhatsApp's store, or the page); the contract's limits are
 * applied here, where the contract's schemas are (the content script stays small on WhatsApp's page).
 */
import {
  conversationMessage,
  MAX_MESSAGES_PER_REQUEST,
  parseAtBoundary,
  postConversationMessagesResponse,
  type PostConversationMessagesRequest,
  type PostConversationMessagesResponse,
} from '@parley/contract';
import { succeed, type Outcome } from '../shared/outcome.ts';
import { callServer, type Connection } from './server-client.ts';

export async function reportConversation(
  connection: Connection,
  request: PostConversationMessagesRequest,
): Promise<Outcome<PostConversationMessagesResponse>> {
  // A message the API would refuse (an over-long id, a NUL in the text) must not sink the whole batch.
  // parseAtBoundary is the server's own check, NUL characters included.
  const messages = request.messages.filter(
    (message) => parseAtBoundary(conversationMessage, message).success,
  );
  const total: PostConversationMessagesResponse = { accepted: 0, detected_phones: [] };
  for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_REQUEST) {
    const outcome = await callServer(connection, {
      method: 'POST',
      path: '/api/conversations/messages',
      body: { ...request, messages: messages.slice(start, start + MAX_MESSAGES_PER_REQUEST) },
      schema: postConversationMessagesResponse,
      // Intake is idempotent per message id, so sending a batch again is harmless.
      retries: 2,
    });
    if (!outcome.ok) return outcome;
    total.accepted += outcome.value.accepted;
    total.detected_phones.push(...outcome.value.detected_phones);
  }
  return succeed(total);
}
