/**
 * MAIN-world script on web.whatsapp.com: answers the content script's requests for the active chat
 * and its messages from WhatsApp's own store (see `shared/store-bridge.ts`). It waits for WhatsApp's
 * module graph to settle before touching it (`module-graph.ts`), says so once with an event, and
 * never lets an error reach WhatsApp's own handlers. It holds no data and calls nothing else.
 */
import {
  decodeStoreRequest,
  encodeStoreAnswer,
  STORE_ANSWER_EVENT,
  STORE_READY_EVENT,
  STORE_REQUEST_EVENT,
  type StoreAnswer,
} from '../shared/store-bridge.ts';
import { createModuleGraph } from './module-graph.ts';
import { readActiveChat, readActiveMessages } from './read-store.ts';

/** How often the module graph is sampled while it settles (wa-js samples it every 100 ms too). */
const SETTLE_POLL_MS = 100;

const graph = createModuleGraph(window, () => performance.now());

function waitForSettledGraph(): void {
  if (graph.settle()) document.dispatchEvent(new CustomEvent(STORE_READY_EVENT));
  else setTimeout(waitForSettledGraph, SETTLE_POLL_MS);
}
waitForSettledGraph();

document.addEventListener(STORE_REQUEST_EVENT, (event) => {
  let answer: StoreAnswer<unknown> = { status: 'unreachable' };
  try {
    const request = decodeStoreRequest((event as CustomEvent<unknown>).detail);
    if (request === 'chat') answer = readActiveChat(graph);
    else if (request === 'messages') answer = readActiveMessages(graph);
  } catch {
    // Something in WhatsApp's models threw past the guards: unreachable for this read.
  }
  document.dispatchEvent(new CustomEvent(STORE_ANSWER_EVENT, { detail: encodeStoreAnswer(answer) }));
});
