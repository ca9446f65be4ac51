/**
 * Watches the page for changes of the open chat. WhatsApp re-renders the conversation pane on every
 * chat switch and mutates it constantly (typing, receipts), so changes are coalesced: at most one
 * detection per interval, and `onChange` only when the detected chat actually differs.
 */
import type { ChatIdentity } from '../shared/chat.ts';
import { askStore } from './ask-store.ts';
import { detectChat } from './detect-chat.ts';
import { readDomSnapshot } from './dom-snapshot.ts';

const COALESCE_MS = 250;

export interface ChatWatcherCallbacks {
  onChange(chat: ChatIdentity): void;
  /** After every detection, changed or not (new messages may have appeared). */
  onSettled(chat: ChatIdentity): void;
}

export function watchChat(root: Document, callbacks: ChatWatcherCallbacks): () => void {
  let last: string | null = null;
  let scheduled: ReturnType<typeof setTimeout> | null = null;
  const detect = () => {
    scheduled = null;
    const chat = detectChat(askStore(), readDomSnapshot(root));
    const serialized = JSON.stringify(chat);
    if (serialized !== last) {
      last = serialized;
      callbacks.onChange(chat);
    }
    callbacks.onSettled(chat);
  };
  const observer = new MutationObserver(() => {
    scheduled ??= setTimeout(detect, COALESCE_MS);
  });
  observer.observe(root.body, { childList: true, subtree: true, characterData: true });
  detect();
  return () => {
    observer.disconnect();
    if (scheduled !== null) clearTimeout(scheduled);
  };
}
