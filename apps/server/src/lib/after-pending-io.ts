/**
 * Resolves after the event loop has run the I/O callbacks already due (setImmediate runs right after
 * the poll phase). Awaited before work that is cheaper done once for everything that arrived together.
 */
export const afterPendingIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
