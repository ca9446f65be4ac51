/** Asks the MAIN-world script for WhatsApp's active chat (protocol in `shared/store-bridge.ts`). */
import {
  decodeStoreAnswer,
  STORE_ANSWER_EVENT,
  STORE_REQUEST_EVENT,
  type StoreChatSnapshot,
} from '../shared/store-bridge.ts';

/** Null when the MAIN-world script is absent or WhatsApp's store could not be read: use the DOM. */
export function askStore(): StoreChatSnapshot | null {
  let answer: StoreChatSnapshot | null = null;
  const listener = (event: Event) => {
    answer = decodeStoreAnswer((event as CustomEvent<unknown>).detail);
  };
  document.addEventListener(STORE_ANSWER_EVENT, listener);
  try {
    // Listeners run synchronously inside dispatchEvent, so the answer is in by the time it returns.
    document.dispatchEvent(new CustomEvent(STORE_REQUEST_EVENT));
  } finally {
    document.removeEventListener(STORE_ANSWER_EVENT, listener);
  }
  return answer;
}
