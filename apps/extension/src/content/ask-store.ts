/** Asks the MAIN-world script about WhatsApp's store (protocol in `shared/store-bridge.ts`). */
import {
  decodeChatAnswer,
  decodeMessagesAnswer,
  encodeStoreRequest,
  STORE_ANSWER_EVENT,
  STORE_REQUEST_EVENT,
  type StoreAnswer,
  type StoreChatSnapshot,
  type StoreMessage,
  type StoreRequest,
} from '../shared/store-bridge.ts';

/** The active chat; `unreachable` when the MAIN-world script is absent or the store could not be read. */
export const askStoreChat = (): StoreAnswer<StoreChatSnapshot> => ask('chat', decodeChatAnswer);

/** The active chat's messages, oldest first as WhatsApp holds them. */
export const askStoreMessages = (): StoreAnswer<StoreMessage[]> => ask('messages', decodeMessagesAnswer);

function ask<T>(request: StoreRequest, decode: (detail: unknown) => StoreAnswer<T>): StoreAnswer<T> {
  let answer: StoreAnswer<T> = { status: 'unreachable' };
  const listener = (event: Event) => {
    answer = decode((event as CustomEvent<unknown>).detail);
  };
  document.addEventListener(STORE_ANSWER_EVENT, listener);
  try {
    // Listeners run synchronously inside dispatchEvent, so the answer is in by the time it returns.
    document.dispatchEvent(new CustomEvent(STORE_REQUEST_EVENT, { detail: encodeStoreRequest(request) }));
  } finally {
    document.removeEventListener(STORE_ANSWER_EVENT, listener);
  }
  return answer;
}

/** The snapshot when the store answered, null otherwise (the markup decides). */
export const snapshotOf = (answer: StoreAnswer<StoreChatSnapshot>): StoreChatSnapshot | null =>
  answer.status === 'ok' ? answer.value : null;
