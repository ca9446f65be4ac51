/**
 * Content script on web.whatsapp.com: reports the open chat to the background, reports visible
 * messages when the agent turned that on, puts text into the composer when the panel asks, and
 * hands the background the visible messages of the chat an AI reply is drafted for.
 * It holds no token and makes no network call.
 */
import { askBackground, isEnvelope, type TabRequests } from '../shared/messages.ts';
import { askStore } from './ask-store.ts';
import { insertIntoComposer } from './composer.ts';
import { watchChat } from './chat-watcher.ts';
import { detectChat } from './detect-chat.ts';
import { readDomSnapshot } from './dom-snapshot.ts';
import { createMessageReporter } from './message-reporter.ts';
import { dayFirstIn } from './pre-plain-text.ts';
import { readVisibleMessages } from './visible-messages.ts';

const dayFirst = dayFirstIn(navigator.language);
const reportVisible = createMessageReporter(document, dayFirst);
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

/**
 * The visible messages, only when the chat open right now is the one with `phone`: detected afresh
 * (not the last coalesced detection), so a chat switched a moment ago never lends its messages to
 * the previous chat's draft.
 */
function messagesOfChat(phone: string): TabRequests['chat/messages']['response'] {
  const open = detectChat(askStore(), readDomSnapshot(document));
  return {
    messages: open.kind === 'phone' && open.phone === phone ? readVisibleMessages(document, dayFirst) : [],
  };
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !isEnvelope(message, ['composer/insert', 'chat/messages']))
    return false;
  if (message.type === 'chat/messages') {
    const { phone } = message.payload as TabRequests['chat/messages']['payload'];
    sendResponse(messagesOfChat(phone));
  } else {
    const { text } = message.payload as TabRequests['composer/insert']['payload'];
    sendResponse(insertIntoComposer(document, text));
  }
  return false;
});
