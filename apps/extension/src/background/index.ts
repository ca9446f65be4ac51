/**
 * The service worker. Chrome starts it for an event and stops it after about 30 s idle, so every
 * listener is registered synchronously at the top level and all state lives in chrome.storage.
 */
import { forgetTab, markTabActive } from '../shared/chat-registry.ts';
import { isEnvelope } from '../shared/messages.ts';
import { isAllowedSender, requestTypes, routes } from './router.ts';
import { restrictSettingsToExtensionPages } from './settings-store.ts';
import { configureSidePanel, updateSidePanel } from './side-panel.ts';

void restrictSettingsToExtensionPages();

chrome.runtime.onInstalled.addListener(() => void configureSidePanel());
chrome.runtime.onStartup.addListener(() => void configureSidePanel());

chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.url !== undefined || change.status === 'complete') void updateSidePanel(tabId, tab.url);
});
chrome.tabs.onActivated.addListener(({ tabId }) => void markTabActive(tabId));
chrome.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (!isEnvelope(message, requestTypes)) return false;
  const route = routes[message.type];
  if (!isAllowedSender(route.from, sender)) return false;
  // The payload's type follows from `type`; TypeScript cannot correlate the two through the lookup.
  const handle = route.handle as (payload: unknown, sender: chrome.runtime.MessageSender) => Promise<unknown>;
  handle(message.payload, sender).then(sendResponse, (error: unknown) => {
    sendResponse({
      ok: false,
      failure: { kind: 'server_error', detail: `The extension failed: ${String(error)}` },
    });
  });
  // Keeps the channel open for the asynchronous answer.
  return true;
});
