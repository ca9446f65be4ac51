/**
 * Wakes replies of this process that wait for credits as soon as another reply of the same shop
 * settles. Replies settled by other processes are noticed by the waiters' polling instead, so this
 * only makes the common single-process case prompt; it is never needed for correctness. The waiters
 * belong to the app (kept on its invalidation channel, lib/invalidation.ts): two apps in one process
 * never wake each other's.
 */
import type { AppDeps } from '../../app-deps.ts';
import type { Invalidatable } from '../../lib/invalidation.ts';

type Deps = Pick<AppDeps, 'invalidation'>;

class SettlementWaiters implements Invalidatable {
  readonly byShop = new Map<string, Set<() => void>>();

  /** A shop's balance may have moved (or, with no shop, any): its waiters look again now. */
  invalidate(shopId: string | undefined): void {
    const shops = shopId === undefined ? [...this.byShop.keys()] : [shopId];
    for (const shop of shops) for (const wake of [...(this.byShop.get(shop) ?? [])]) wake();
  }
}

const waitersOf = (deps: Deps) =>
  deps.invalidation.cache('credit_settlements', () => new SettlementWaiters());

/** Resolves when a reply of `shopId` settles in this process, or after `ms`. */
export function waitForSettlement(deps: Deps, shopId: string, ms: number): Promise<void> {
  const { byShop } = waitersOf(deps);
  return new Promise((resolve) => {
    const set = byShop.get(shopId) ?? new Set<() => void>();
    byShop.set(shopId, set);
    const wake = () => {
      clearTimeout(timer);
      set.delete(wake);
      if (set.size === 0) byShop.delete(shopId);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    set.add(wake);
  });
}

export function signalSettlement(deps: Deps, shopId: string): void {
  waitersOf(deps).invalidate(shopId);
}
