/**
 * Sends the open chat's newly read messages to the background (which posts them to the
 * conversation API), each once per page load. Only used when the agent turned reporting on.
 */
import type { ChatIdentity } from '../shared/chat.ts';
import { askBackground } from '../shared/messages.ts';
import { readChatMessages } from './message-reader.ts';

export function createMessageReporter(root: Document, dayFirst: boolean) {
  const reported = new Set<string>();
  return async function reportVisible(chat: ChatIdentity): Promise<void> {
    if (chat.kind !== 'phone') return;
    const fresh = readChatMessages(root, dayFirst).messages.filter((message) => !reported.has(message.id));
    if (fresh.length === 0) return;
    for (const message of fresh) reported.add(message.id);
    const outcome = await askBackground('conversation/report', {
      chat_phone: chat.phone,
      ...(chat.name === null ? {} : { chat_name: chat.name.slice(0, 200) }),
      messages: fresh,
    });
    // Sent again on the next change; the server ignores ids it already has.
    if (!outcome.ok) for (const message of fresh) reported.delete(message.id);
  };
}
