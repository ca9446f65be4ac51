/** Relays "insert into chat" from the panel to the content script of the WhatsApp tab. */
import { resolveChatTab } from '../shared/chat-registry.ts';
import { askTab } from '../shared/messages.ts';
import { fail, type Outcome } from '../shared/outcome.ts';

export async function insertIntoChat(tabId: number | null, text: string): Promise<Outcome<null>> {
  const target = await resolveChatTab(tabId);
  if (target === null)
    return fail({ kind: 'no_chat_tab', detail: 'No WhatsApp Web tab has reported a chat yet.' });
  try {
    return await askTab(target, 'composer/insert', { text });
  } catch (error) {
    // No content script answers: the tab was closed, reloaded, or is no longer WhatsApp Web.
    return fail({
      kind: 'no_chat_tab',
      detail: `WhatsApp Web tab ${target} did not answer (${String(error)}).`,
    });
  }
}
