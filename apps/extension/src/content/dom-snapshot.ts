/** Reads the conversation pane into a `DomChatSnapshot` (the decision itself is in `detect-chat.ts`). */
import type { DomChatSnapshot } from './detect-chat.ts';
import { selectors } from './whatsapp-selectors.ts';

/** Rows read per snapshot: the latest ones name the chat as well as all of them would. */
const ROWS_READ = 40;

const BIDI_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function readDomSnapshot(root: ParentNode): DomChatSnapshot {
  const conversation = root.querySelector(selectors.conversation);
  if (conversation === null) return { open: false, headerTitle: null, messageDataIds: [] };
  const rows = [...conversation.querySelectorAll(selectors.messageRow)].slice(-ROWS_READ);
  return {
    open: true,
    headerTitle: readHeaderTitle(conversation),
    messageDataIds: rows.map((row) => row.getAttribute('data-id') ?? ''),
  };
}

function readHeaderTitle(conversation: Element): string | null {
  for (const span of conversation.querySelectorAll(selectors.headerTitle)) {
    // The title attribute holds the full name when the visible text is truncated with an ellipsis;
    // WhatsApp wraps numbers in bidi embedding marks, which are layout, not part of the name.
    const text = (span.getAttribute('title') ?? span.textContent ?? '').replace(BIDI_MARKS, '').trim();
    if (text !== '') return text;
  }
  return null;
}
