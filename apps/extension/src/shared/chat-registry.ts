/**
 * The chat open in each WhatsApp tab, kept in `chrome.storage.session` (the service worker may be
 * stopped at any time, so nothing lives in its memory). The background writes it when a content
 * script reports a change; the side panel reads it and re-renders when it changes.
 */
import type { ChatIdentity } from './chat.ts';
import type { PageStatus } from './page-status.ts';

export interface TabChat {
  tabId: number;
  chat: ChatIdentity;
  /** What the content script could read of the page at that detection. */
  status: PageStatus;
}

const tabKey = (tabId: number) => `chat:${tabId}`;
/** The WhatsApp tab the agent used last: a panel opened without a tab id follows it. */
const ACTIVE_TAB_KEY = 'activeChatTab';

export async function recordChat(tabId: number, chat: ChatIdentity, status: PageStatus): Promise<void> {
  const entry: TabChat = { tabId, chat, status };
  await chrome.storage.session.set({ [tabKey(tabId)]: entry, [ACTIVE_TAB_KEY]: tabId });
}

/** When the agent switches between WhatsApp tabs, a panel without a tab id follows. */
export async function markTabActive(tabId: number): Promise<void> {
  const known = await chrome.storage.session.get(tabKey(tabId));
  if (known[tabKey(tabId)] !== undefined) await chrome.storage.session.set({ [ACTIVE_TAB_KEY]: tabId });
}

export async function forgetTab(tabId: number): Promise<void> {
  await chrome.storage.session.remove(tabKey(tabId));
}

/** The tab a panel shows: its own (`tabId`), or the WhatsApp tab used last. */
export async function resolveChatTab(tabId: number | null): Promise<number | null> {
  if (tabId !== null) return tabId;
  const stored = await chrome.storage.session.get(ACTIVE_TAB_KEY);
  const active: unknown = stored[ACTIVE_TAB_KEY];
  return typeof active === 'number' ? active : null;
}

export async function readTabChat(tabId: number | null): Promise<TabChat | null> {
  const resolved = await resolveChatTab(tabId);
  if (resolved === null) return null;
  const stored = await chrome.storage.session.get(tabKey(resolved));
  return (stored[tabKey(resolved)] as TabChat | undefined) ?? null;
}

/** Calls `onChange` whenever the chat a panel for `tabId` shows may have changed. */
export function watchTabChat(tabId: number | null, onChange: () => void): void {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== 'session') return;
    const relevant =
      tabId === null
        ? Object.keys(changes).some((key) => key.startsWith('chat:') || key === ACTIVE_TAB_KEY)
        : tabKey(tabId) in changes;
    if (relevant) onChange();
  });
}
