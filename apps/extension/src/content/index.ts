/**
 * Content script on web.whatsapp.com: reports the open chat to the background, reports visible
 * messages when the agent turned that on, and puts text into the composer when the panel asks.
 * It holds no token and makes no network call.
 */
import { askBackground, isEnvelope, type TabRequests } from '../shared/messages.ts';
import { insertIntoComposer } from './composer.ts';
import { watchChat } from './chat-watcher.ts';
import { createMessageReporter } from './message-reporter.ts';
import { dayFirstIn } from './pre-plain-text.ts';

const reportVisible = createMessageReporter(document, dayFirstIn(navigator.language));
/** The background's answer to the last chat change; page-lived state, which is fine in a content script. */
let reportMessages = false;

const stop = watchChat(document, {
  onChange(chat) {
    askBackground('chat/changed', { chat }).then(
      (answer) => {
        reportMessages = answer.reportMessages;
        // The messages on screen now; later ones are reported as they appear (onSettled).
        if (reportMessages) void reportVisible(chat).catch(() => stop());
      },
      // The extension was reloaded or updated: this old copy of the script can no longer talk to it.
      () => stop(),
    );
  },
  onSettled(chat) {
    if (reportMessages) void reportVisible(chat).catch(() => stop());
  },
});

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !isEnvelope(message, ['composer/insert'])) return false;
  const { text } = message.payload as TabRequests['composer/insert']['payload'];
  sendResponse(insertIntoComposer(document, text));
  return false;
});
