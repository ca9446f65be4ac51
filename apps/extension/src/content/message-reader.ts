/**
 * The one reader of the open chat's messages, used by message reporting, the AI reply's
 * conversation and (through what reporting sends) Smart Follow-up: WhatsApp's own models first,
 * the markup when they cannot be read (`visible-messages.ts`).
 */
import type { ConversationMessage } from '@parley/contract';
import type { MessageFormat } from '../shared/page-status.ts';
import type { StoreChatSnapshot, StoreMessage } from '../shared/store-bridge.ts';
import { askStoreMessages } from './ask-store.ts';
import { readVisibleMessages } from './visible-messages.ts';

export interface ChatMessages {
  format: MessageFormat;
  messages: ConversationMessage[];
}

export function readChatMessages(root: ParentNode, dayFirst: boolean): ChatMessages {
  const answer = askStoreMessages();
  if (answer.status === 'ok') return { format: 'store', messages: answer.value.map(conversationMessage) };
  return readVisibleMessages(root, dayFirst);
}

/** The format `readChatMessages` would read in, without moving the store's messages between worlds. */
export function messageFormat(
  root: ParentNode,
  dayFirst: boolean,
  store: StoreChatSnapshot | null,
): MessageFormat {
  if (store?.chatJid != null && store.messagesReadable) return 'store';
  return readVisibleMessages(root, dayFirst).format;
}

function conversationMessage(message: StoreMessage): ConversationMessage {
  return {
    id: message.id,
    direction: message.fromMe ? 'out' : 'in',
    text: message.text,
    sent_at: new Date(message.timestamp * 1000).toISOString(),
  };
}
