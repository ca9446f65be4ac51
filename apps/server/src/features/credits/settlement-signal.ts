/**
 * Wakes replies of this process that wait for credits as soon as another reply of the same shop
 * settles. Replies settled by other processes are noticed by the waiters' polling instead, so this
 * only makes the common single-process case prompt; it is never needed for correctness.
 */
const waiters = new Map<string, Set<() => void>>();

/** Resolves when a reply of `shopId` settles in this process, or after `ms`. */
export function waitForSettlement(shopId: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const set = waiters.get(shopId) ?? new Set<() => void>();
    waiters.set(shopId, set);
    const wake = () => {
      clearTimeout(timer);
      set.delete(wake);
      if (set.size === 0) waiters.delete(shopId);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    set.add(wake);
  });
}

export function signalSettlement(shopId: string): void {
  for (const wake of [...(waiters.get(shopId) ?? [])]) wake();
}
