/**
 * Purchased credits (`POST /api/admin/shops/:id/credits`): added by the operator, never expire,
 * spent after the month's free credits. The operator's reference makes a retry harmless: the same
 * reference and amount return the first purchase; the same reference with another amount is refused.
 */
import { and, eq } from 'drizzle-orm';
import type { AddCreditsRequest, AddCreditsResponse } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { creditLedger } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { lockBalance, writeBalance, type CreditShop } from './balance.ts';
import { getCreditsInfo } from './info.ts';
import { signalSettlement } from './settlement-signal.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'invalidation'>;

export async function addPurchasedCredits(
  deps: Deps,
  shop: CreditShop,
  input: AddCreditsRequest,
): Promise<AddCreditsResponse> {
  const now = deps.clock.now();
  const outcome = await deps.db.transaction(async (tx) => {
    const balance = await lockBalance(tx, shop, now);
    const [inserted] = await tx
      .insert(creditLedger)
      .values({
        id: newId('cred'),
        shopId: shop.id,
        kind: 'purchase',
        period: balance.period,
        purchasedDelta: input.amount,
        reference: input.reference,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted !== undefined) {
      await writeBalance(tx, {
        ...balance,
        purchasedLeft: balance.purchasedLeft + input.amount,
        updatedAt: now,
      });
      return { entry: inserted, created: true };
    }
    const [existing] = await tx
      .select()
      .from(creditLedger)
      .where(
        and(
          eq(creditLedger.shopId, shop.id),
          eq(creditLedger.kind, 'purchase'),
          eq(creditLedger.reference, input.reference),
        ),
      );
    if (existing === undefined)
      throw new Error('purchase insert conflicted but no purchase has its reference');
    if (existing.purchasedDelta !== input.amount) {
      throw new AppError(
        'CONFLICT',
        `Reference "${input.reference}" was already used for a purchase of ${existing.purchasedDelta} credits ` +
          `on ${existing.createdAt.toISOString()}; use a new reference for a new purchase.`,
        409,
      );
    }
    return { entry: existing, created: false };
  });
  // Replies waiting for credits of this shop may now have some.
  if (outcome.created) signalSettlement(deps, shop.id);
  const { entry, created } = outcome;
  return {
    purchase: {
      id: entry.id,
      amount: entry.purchasedDelta,
      reference: input.reference,
      created_at: entry.createdAt.toISOString(),
    },
    created,
    credits: await getCreditsInfo(deps, shop),
  };
}
