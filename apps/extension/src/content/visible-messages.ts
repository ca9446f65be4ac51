/** Reads the text messages rendered in the conversation pane, in the conversation API's shape (SPEC §8). */
import type { ConversationMessage } from '@parley/contract';
import { parseMessageDataId } from '../shared/whatsapp-ids.ts';
import { parsePrePlainText } from './pre-plain-text.ts';
import { selectors } from './whatsapp-selectors.ts';

/**
 * Rows without a text label (photos without caption, calls, system notices) are left out: they have
 * no reliable time in the markup, and the conversation API needs one.
 */
export function readVisibleMessages(root: ParentNode, dayFirst: boolean): ConversationMessage[] {
  const conversation = root.querySelector(selectors.conversation);
  if (conversation === null) return [];
  const messages: ConversationMessage[] = [];
  for (const row of conversation.querySelectorAll(selectors.messageRow)) {
    const dataId = row.getAttribute('data-id') ?? '';
    const parsed = parseMessageDataId(dataId);
    const textElement = row.querySelector(selectors.messageText);
    const label = textElement?.getAttribute('data-pre-plain-text');
    if (parsed === null || label == null) continue;
    const labelParts = parsePrePlainText(label, dayFirst);
    if (labelParts === null) continue;
    messages.push({
      id: dataId,
      direction: parsed.fromMe ? 'out' : 'in',
      text: textElement?.querySelector(selectors.messageBody)?.textContent ?? '',
      sent_at: labelParts.sentAt.toISOString(),
    });
  }
  return messages;
}
