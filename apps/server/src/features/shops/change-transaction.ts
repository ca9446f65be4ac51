/**
 * One confirmed change as one transaction (docs/mcp.md#confirmed-changes): the shop's changes are
 * serialized (db/shop-change-lock.ts), the change is planned, checked and written with the
 * transaction, and what must only follow a commit (the cache invalidations every change announces)
 * runs after it, never for a change that was rolled back.
 */
import type { AppDeps } from '../../app-deps.ts';
import { lockShopChanges } from '../../db/shop-change-lock.ts';
import { deferInvalidations } from '../../lib/invalidation.ts';

/**
 * Runs `work` in a transaction holding the shop's change lock, with deps whose `db` is that
 * transaction and whose invalidations wait for its commit. Everything `work` reads and writes must go
 * through those deps: on PGlite a query on the app's own `db` would wait for this transaction forever.
 * A throw rolls everything back and is passed on.
 */
export async function inShopChange<T>(
  deps: AppDeps,
  shopId: string,
  work: (deps: AppDeps) => Promise<T>,
): Promise<T> {
  const invalidations = deferInvalidations(deps.invalidation);
  const result = await deps.db.transaction(async (tx) => {
    await lockShopChanges(tx, shopId);
    return work({ ...deps, db: tx, invalidation: invalidations.channel });
  });
  await invalidations.flush();
  return result;
}
