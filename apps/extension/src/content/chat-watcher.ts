/**
 * Watches the page for changes of the open chat. WhatsApp re-renders the conversation pane on every
 * chat switch and mutates it constantly (typing, receipts), so changes are coalesced: at most one
 * detection per interval, and `onChange` only when the detection actually differs. The MAIN-world
 * script's "store ready" event triggers one too, since the store may now name what the markup
 * could not.
 */
import { STORE_READY_EVENT } from '../shared/store-bridge.ts';
import { detectPage, type PageDetection } from './page-detection.ts';

const COALESCE_MS = 250;

export interface ChatWatcherCallbacks {
  onChange(detection: PageDetection): void;
  /** After every detection, changed or not (new messages may have appeared). */
  onSettled(detection: PageDetection): void;
}

export function watchChat(root: Document, dayFirst: boolean, callbacks: ChatWatcherCallbacks): () => void {
  let last: string | null = null;
  let scheduled: ReturnType<typeof setTimeout> | null = null;
  const detect = () => {
    scheduled = null;
    const detection = detectPage(root, dayFirst);
    const serialized = JSON.stringify(detection);
    if (serialized !== last) {
      last = serialized;
      callbacks.onChange(detection);
    }
    callbacks.onSettled(detection);
  };
  const schedule = () => {
    scheduled ??= setTimeout(detect, COALESCE_MS);
  };
  const observer = new MutationObserver(schedule);
  observer.observe(root.body, { childList: true, subtree: true, characterData: true });
  root.addEventListener(STORE_READY_EVENT, schedule);
  detect();
  return () => {
    observer.disconnect();
    root.removeEventListener(STORE_READY_EVENT, schedule);
    if (scheduled !== null) clearTimeout(scheduled);
  };
}
