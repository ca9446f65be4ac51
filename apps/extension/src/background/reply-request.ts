/**
 * The body of `POST /api/ai/suggest-reply` from what the panel and the WhatsApp tab provide. The
 * visible messages go in as the conversation; with none, the field is left out so the server reads
 * the messages it stored for the chat instead of answering an empty one.
 */
import {
  MAX_INSTRUCTION_LENGTH,
  MAX_SUGGEST_REPLY_MESSAGES,
  parseAtBoundary,
  suggestReplyMessage,
  type ConversationMessage,
  type SuggestReplyMessage,
  type SuggestReplyRequest,
} from '@parley/contract';

export function suggestReplyBody(
  phone: string,
  instruction: string | null,
  visible: readonly ConversationMessage[],
): SuggestReplyRequest {
  const wanted = instruction?.trim().slice(0, MAX_INSTRUCTION_LENGTH) ?? '';
  const messages = conversationOf(visible);
  return {
    phone,
    ...(wanted === '' ? {} : { instruction: wanted }),
    ...(messages.length === 0 ? {} : { messages }),
  };
}

/**
 * The latest messages the API accepts, oldest first. A message it would refuse (an over-long text,
 * an odd id) is left out rather than failing the whole draft; one without text says nothing.
 */
function conversationOf(visible: readonly ConversationMessage[]): SuggestReplyMessage[] {
  const accepted: SuggestReplyMessage[] = [];
  for (const { id, direction, text, sent_at } of visible) {
    if (text.trim() === '') continue;
    // parseAtBoundary is the server's own check, NUL characters included.
    const parsed = parseAtBoundary(suggestReplyMessage, { id, direction, text, sent_at });
    if (parsed.success) accepted.push(parsed.data);
  }
  return accepted.slice(-MAX_SUGGEST_REPLY_MESSAGES);
}
