/**
 * Opens a chat by its WhatsApp Web URL (`https://web.whatsapp.com/send?phone=…`, which WhatsApp Web
 * answers by opening that chat) in the WhatsApp tab the agent works in, so the side panel stays
 * beside it; a new tab only when there is none.
 */
import { resolveChatTab } from '../shared/chat-registry.ts';
import { fail, succeed, type Outcome } from '../shared/outcome.ts';
import { isWhatsAppUrl, WHATSAPP_TABS } from './side-panel.ts';

export async function openWhatsAppUrl(tabId: number | null, url: string): Promise<Outcome<null>> {
  // The URL comes from the server: the extension navigates nowhere else with it.
  if (!isWhatsAppUrl(url)) {
    return fail({ kind: 'invalid_response', detail: `Not a WhatsApp Web address: ${url}` });
  }
  const target = await whatsAppTab(tabId);
  if (target === null) await chrome.tabs.create({ url });
  else await chrome.tabs.update(target, { url, active: true });
  return succeed(null);
}

/** The panel's tab (or the one used last) while it still shows WhatsApp Web, else any WhatsApp Web tab. */
async function whatsAppTab(tabId: number | null): Promise<number | null> {
  const known = await resolveChatTab(tabId);
  if (known !== null) {
    const tab = await chrome.tabs.get(known).catch(() => null);
    if (isWhatsAppUrl(tab?.url)) return known;
  }
  const [other] = await chrome.tabs.query({ url: WHATSAPP_TABS });
  return other?.id ?? null;
}
