/**
 * Runs `work` with a timer holding Node's event loop open, for a start on PGlite.
 *
 * While PGlite compiles and starts, its WebAssembly work is V8's, not libuv's: with no handle open,
 * Node's loop ends its turn and waits until every background task V8 has queued is done, its
 * optimizing compiles included, and the rest of the start then runs inside that wait, which repeats
 * at its end, so the first request waited for compiles it does not need
 * (docs/decisions/performance-notes.md#a-reused-start-stalled-after-it-listened). An open timer keeps
 * the loop turning, and the compiles finish in the background as they should.
 */
export async function holdingEventLoop<T>(work: () => Promise<T>): Promise<T> {
  // The longest delay a timer takes; it never fires before it is cleared.
  const hold = setInterval(() => undefined, 2 ** 31 - 1);
  try {
    return await work();
  } finally {
    clearInterval(hold);
  }
}
