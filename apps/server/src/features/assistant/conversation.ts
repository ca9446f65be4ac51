/**
 * The conversation a reply answers: the messages the request carries (the panel sends what it
 * sees), or else the latest ones stored for the chat (POST /api/conversations/messages).
 */
import type { ContextSource, SuggestReplyRequest } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { listRecentMessages } from '../conversations/index.ts';
import type { ConversationLine } from './prompt.ts';

/** More than the prompt keeps (prompt.ts trims by count and size), so its choice is not starved. */
const STORED_MESSAGES = 40;

export async function loadConversation(
  deps: Pick<AppDeps, 'db'>,
  shopId: string,
  phone: string,
  input: SuggestReplyRequest,
): Promise<{ lines: ConversationLine[]; source: ContextSource }> {
  if (input.messages !== undefined) {
    const lines = input.messages.map((message) => ({
      direction: message.direction,
      text: message.text,
      sentAt: message.sent_at,
    }));
    return { lines, source: { kind: 'messages', origin: 'request', count: lines.length } };
  }
  const stored = await listRecentMessages(deps.db, shopId, phone, STORED_MESSAGES);
  const lines = stored.map((message) => ({
    direction: message.direction,
    text: message.text,
    sentAt: message.sentAt.toISOString(),
  }));
  return {
    lines,
    source: { kind: 'messages', origin: lines.length > 0 ? 'conversation' : 'none', count: lines.length },
  };
}
