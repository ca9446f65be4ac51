/**
 * Reads the text messages rendered in the conversation pane, the fallback when WhatsApp's store
 * cannot be read (`message-reader.ts`). Two row formats are understood:
 * - until 2026, `data-id="<fromMe>_<chat jid>_<message id>[_<sender>]"` and the text in
 *   `span.selectable-text`;
 * - since April 2026, `data-id` is the bare message id and the text sits in a `span[dir]`: seen
 *   live and reported in tinyhumansai/openhuman#1034 and wppconnect-team/wa-js#3410. The direction
 *   then comes from the row's `message-out`/`message-in` element.
 * Rows without a parsable time label (photos without caption, calls, system notices) are left out:
 * the conversation API needs a time, and the markup has no other reliable one.
 */
import type { ConversationMessage } from '@parley/contract';
import type { MessageFormat } from '../shared/page-status.ts';
import { parseMessageDataId } from '../shared/whatsapp-ids.ts';
import { parsePrePlainText } from './pre-plain-text.ts';
import { selectors } from './whatsapp-selectors.ts';

/** A bare message id as the 2026 rows carry it (`3EB0C767D26A1D3E8F21`, `AC0E…`). */
const BARE_MESSAGE_ID = /^[A-Za-z0-9]{12,64}$/;

export interface MarkupMessages {
  format: Exclude<MessageFormat, 'store'>;
  messages: ConversationMessage[];
}

export function readVisibleMessages(root: ParentNode, dayFirst: boolean): MarkupMessages {
  const conversation = root.querySelector(selectors.conversation);
  if (conversation === null) return { format: 'markup_empty', messages: [] };
  const messages: ConversationMessage[] = [];
  let rows = 0;
  let bareRead = 0;
  for (const row of conversation.querySelectorAll(selectors.messageRow)) {
    const dataId = row.getAttribute('data-id') ?? '';
    const legacy = parseMessageDataId(dataId);
    if (legacy === null && !BARE_MESSAGE_ID.test(dataId)) continue;
    rows++;
    const textElement = row.querySelector(selectors.messageText);
    const label = textElement?.getAttribute('data-pre-plain-text');
    const sentAt = label == null ? null : parsePrePlainText(label, dayFirst)?.sentAt;
    const fromMe = legacy?.fromMe ?? directionOf(row);
    if (textElement == null || sentAt == null || fromMe === null) continue;
    if (legacy === null) bareRead++;
    messages.push({
      id: legacy?.messageId ?? dataId,
      direction: fromMe ? 'out' : 'in',
      text: bodyOf(textElement),
      sent_at: sentAt.toISOString(),
    });
  }
  const format =
    rows === 0
      ? 'markup_empty'
      : messages.length === 0
        ? 'none'
        : bareRead > 0
          ? 'markup_2026'
          : 'markup_legacy';
  return { format, messages };
}

function directionOf(row: Element): boolean | null {
  const marked =
    row.closest(`${selectors.outgoing}, ${selectors.incoming}`) ??
    row.querySelector(`${selectors.outgoing}, ${selectors.incoming}`);
  return marked === null ? null : marked.matches(selectors.outgoing);
}

function bodyOf(textElement: Element): string {
  const body =
    textElement.querySelector(selectors.messageBody) ??
    [...textElement.querySelectorAll(selectors.messageBodyFallback)].find(
      (span) => (span.textContent ?? '').trim() !== '',
    );
  return body?.textContent ?? '';
}
