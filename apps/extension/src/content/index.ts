/**
 * Content script on web.whatsapp.com: reports the open chat (and what it can read of the page) to
 * the background, reports the chat's messages when the agent turned that on, puts text into the
 * composer when the panel asks, and hands the background the messages of the chat an AI reply is
 * drafted for. It holds no token and makes no network call.
 */
import { askBackground, isEnvelope, type TabRequests } from '../shared/messages.ts';
import { askStoreChat, snapshotOf } from './ask-store.ts';
import { watchChat } from './chat-watcher.ts';
import { insertIntoComposer } from './composer.ts';
import { detectChat } from './detect-chat.ts';
import { readDomSnapshot } from './dom-snapshot.ts';
import { createMessageReporter } from './message-reporter.ts';
import { readChatMessages } from './message-reader.ts';
import { dayFirstIn } from './pre-plain-text.ts';

const dayFirst = dayFirstIn(navigator.language);
const reportVisible = createMessageReporter(document, dayFirst);
/** The background's answer to the last chat change; page-lived state, which is fine in a content script. */
let reportMessages = false;

const stop = watchChat(document, dayFirst, {
  onChange({ chat, store, messages }) {
    const status = { store, messages, detectedAt: new Date().toISOString() };
    askBackground('chat/changed', { chat, status }).then(
      (answer) => {
        reportMessages = answer.reportMessages;
        // The messages readable now; later ones are reported as they appear (onSettled).
        if (reportMessages) void reportVisible(chat).catch(() => stop());
      },
      // The extension was reloaded or updated: this old copy of the script can no longer talk to it.
      () => stop(),
    );
  },
  onSettled({ chat }) {
    if (reportMessages) void reportVisible(chat).catch(() => stop());
  },
});

/**
 * The messages, only when the chat open right now is the one with `phone`: detected afresh (not
 * the last coalesced detection), so a chat switched a moment ago never lends its messages to the
 * previous chat's draft.
 */
function messagesOfChat(phone: string): TabRequests['chat/messages']['response'] {
  const open = detectChat(snapshotOf(askStoreChat()), readDomSnapshot(document));
  return {
    messages:
      open.kind === 'phone' && open.phone === phone ? readChatMessages(document, dayFirst).messages : [],
  };
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !isEnvelope(message, ['composer/insert', 'chat/messages']))
    return false;
  if (message.type === 'chat/messages') {
    const { phone } = message.payload as TabRequests['chat/messages']['payload'];
    sendResponse(messagesOfChat(phone));
    return false;
  }
  const { text } = message.payload as TabRequests['composer/insert']['payload'];
  void insertIntoComposer(document, text).then(sendResponse);
  // The insert is checked after the page's pending work ran: the answer comes asynchronously.
  return true;
});
