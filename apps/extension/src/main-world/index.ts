/**
 * MAIN-world script on web.whatsapp.com: answers the content script's requests for the active chat
 * from WhatsApp's own store (see `shared/store-bridge.ts`). It holds no data and calls nothing else.
 */
import { encodeStoreAnswer, STORE_ANSWER_EVENT, STORE_REQUEST_EVENT } from '../shared/store-bridge.ts';
import { readActiveChat } from './read-store.ts';

document.addEventListener(STORE_REQUEST_EVENT, () => {
  let snapshot = null;
  try {
    snapshot = readActiveChat(window);
  } catch {
    // A getter inside WhatsApp's models threw: treat the store as unreachable for this read.
  }
  document.dispatchEvent(new CustomEvent(STORE_ANSWER_EVENT, { detail: encodeStoreAnswer(snapshot) }));
});
