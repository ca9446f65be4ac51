/**
 * The per-shop balance row: the sums of the ledger, and the lock that serializes every credit
 * movement of a shop. Everything that reads a balance to change it runs `lockBalance` first, in
 * the same transaction, on PGlite and on PostgreSQL with any number of processes alike.
 */
import { and, eq, sql } from 'drizzle-orm';
import { FREE_CREDITS_PER_MONTH } from '@parley/contract';
import type { Tx } from '../../db/database.ts';
import { creditBalances, creditLedger } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { monthOf } from './period.ts';

export type BalanceRow = typeof creditBalances.$inferSelect;

/** What the credits feature needs to know of a shop. */
export interface CreditShop {
  id: string;
  timezone: string;
}

/**
 * Locks the shop's row (SELECT … FOR UPDATE), creating it on the shop's first credit movement;
 * ON CONFLICT DO NOTHING makes two first movements racing each other create it once. Then, on the
 * first movement of a month, grants that month's free credits; what was left of the previous
 * month's is not carried over.
 */
export async function lockBalance(tx: Tx, shop: CreditShop, now: Date): Promise<BalanceRow> {
  const selectLocked = () =>
    tx.select().from(creditBalances).where(eq(creditBalances.shopId, shop.id)).for('update');
  let [locked] = await selectLocked();
  if (locked === undefined) {
    await tx
      .insert(creditBalances)
      .values({ shopId: shop.id, period: '', freeLeft: 0, purchasedLeft: 0, reserved: 0, updatedAt: now })
      .onConflictDoNothing();
    [locked] = await selectLocked();
    if (locked === undefined) throw new Error('the credit balance row was not created');
  }
  const period = monthOf(now, shop.timezone);
  // `YYYY-MM` sorts by time. A process whose clock is behind another's must not move the month back.
  if (locked.period >= period) return locked;

  await tx
    .insert(creditLedger)
    .values({
      id: newId('cred'),
      shopId: shop.id,
      kind: 'monthly_grant',
      period,
      freeDelta: FREE_CREDITS_PER_MONTH,
      createdAt: now,
    })
    .onConflictDoNothing();
  // Summed rather than assumed, so the row always equals the ledger even if the grant already existed.
  const [free] = await tx
    .select({ left: sql<number>`coalesce(sum(${creditLedger.freeDelta}), 0)`.mapWith(Number) })
    .from(creditLedger)
    .where(and(eq(creditLedger.shopId, shop.id), eq(creditLedger.period, period)));
  const renewed = { ...locked, period, freeLeft: free?.left ?? 0, updatedAt: now };
  await writeBalance(tx, renewed);
  return renewed;
}

/** What replies in progress hold; nothing once the last reservation's lifetime has passed. */
export const heldAt = (row: BalanceRow, now: Date): number =>
  row.reservedUntil !== null && row.reservedUntil > now ? row.reserved : 0;

export async function writeBalance(tx: Tx, row: BalanceRow): Promise<void> {
  await tx
    .update(creditBalances)
    .set({
      period: row.period,
      freeLeft: row.freeLeft,
      purchasedLeft: row.purchasedLeft,
      reserved: row.reserved,
      reservedUntil: row.reservedUntil,
      updatedAt: row.updatedAt,
    })
    .where(eq(creditBalances.shopId, row.shopId));
}

/**
 * The balance as of `now` without writing: a row of an earlier month (or none) means this month's
 * free credits are still untouched.
 */
export function currentBalance(
  row: BalanceRow | undefined,
  period: string,
): { freeLeft: number; purchasedLeft: number } {
  return {
    freeLeft: row !== undefined && row.period >= period ? row.freeLeft : FREE_CREDITS_PER_MONTH,
    purchasedLeft: row?.purchasedLeft ?? 0,
  };
}
