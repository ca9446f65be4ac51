/**
 * The side panel exists on WhatsApp Web tabs only: disabled globally, enabled per tab. Each tab's
 * panel gets its tab id in the URL, so it shows that tab's chat even when the agent has several.
 */
const WHATSAPP_URL_PREFIX = 'https://web.whatsapp.com/';

export const isWhatsAppUrl = (url: string | undefined): boolean =>
  url?.startsWith(WHATSAPP_URL_PREFIX) === true;

/** Matches every WhatsApp Web tab in `chrome.tabs.query`. */
export const WHATSAPP_TABS = `${WHATSAPP_URL_PREFIX}*`;

export async function configureSidePanel(): Promise<void> {
  await chrome.sidePanel.setOptions({ enabled: false });
  // The toolbar button opens the panel, where it is enabled.
  await chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true });
  const tabs = await chrome.tabs.query({ url: WHATSAPP_TABS });
  await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : updateSidePanel(tab.id, tab.url))));
}

export async function updateSidePanel(tabId: number, url: string | undefined): Promise<void> {
  await chrome.sidePanel.setOptions(
    isWhatsAppUrl(url)
      ? { tabId, path: `sidepanel.html?tab=${tabId}`, enabled: true }
      : { tabId, enabled: false },
  );
}
