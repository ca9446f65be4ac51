/** One detection of a WhatsApp page: the open chat, whether the store answered, and the message format. */
import type { ChatIdentity } from '../shared/chat.ts';
import type { MessageFormat, StoreReach } from '../shared/page-status.ts';
import { askStoreChat, snapshotOf } from './ask-store.ts';
import { detectChat } from './detect-chat.ts';
import { readDomSnapshot } from './dom-snapshot.ts';
import { messageFormat } from './message-reader.ts';

export interface PageDetection {
  chat: ChatIdentity;
  store: StoreReach;
  /** Null when no chat is open. */
  messages: MessageFormat | null;
}

export function detectPage(root: Document, dayFirst: boolean): PageDetection {
  const answer = askStoreChat();
  const snapshot = snapshotOf(answer);
  const chat = detectChat(snapshot, readDomSnapshot(root));
  return {
    chat,
    store: answer.status === 'ok' ? 'reachable' : answer.status,
    messages: chat.kind === 'none' ? null : messageFormat(root, dayFirst, snapshot),
  };
}
