/**
 * Reserve, then settle: how a call whose price is known only afterwards (an AI reply costs the
 * tokens it used) can never drive a balance below zero, even with many replies in flight across
 * processes. docs/decisions/credits-ledger.md has the reasoning.
 *
 * - Reserve (before the model is called): under the shop's balance lock, a reply holds
 *   `RESERVATION_CREDITS` out of what no other reply holds. When less than that is free but others
 *   hold credits, it waits for them to settle; when nobody holds any, it takes all that is left.
 *   With nothing left it is refused: 402 NO_CREDITS, and the model is never called.
 * - Settle (after the reply, also when it failed): under the same lock, the reply gives back its
 *   hold and is charged its tokens, up to what is left minus what other replies still hold;
 *   anything beyond is recorded as `unbilled` in the ledger rather than taken from another
 *   reply's hold or below zero.
 */
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import type { Tx } from '../../db/database.ts';
import { creditBalances, creditLedger } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { heldAt, lockBalance, type CreditShop } from './balance.ts';
import { creditsBusy, noCredits } from './errors.ts';
import { signalSettlement, waitForSettlement } from './settlement-signal.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

/** What one reply holds while it runs: above a typical reply with a few function calls. */
const RESERVATION_CREDITS = 16_000;
/** A reply lasts at most 90 s: holds older than this were left by a crashed process. */
const RESERVATION_TTL_MS = 120_000;
/** How long a reply waits for others of its shop to settle before giving up (503 CREDITS_BUSY). */
const DEFAULT_WAIT_MS = 60_000;
/** How often a waiting reply looks again, to notice settlements made by other processes. */
const POLL_MS = 200;

export interface CreditReservation {
  shop: CreditShop;
  amount: number;
}

export interface CreditCharge {
  feature: string;
  /** The reply id, so a charge can be traced to its function call logs. */
  reference: string;
  /** As the model API reported it; `total_tokens` is the price. */
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export interface SettledCharge {
  charged: number;
  unbilled: number;
  /** With `holdAgain`: the same amount held again for the caller's next call, or null when not all of it is free. */
  heldAgain: CreditReservation | null;
}

type Attempt = { kind: 'reserved'; reservation: CreditReservation } | { kind: 'empty' } | { kind: 'busy' };

function tryReserve(deps: Deps, shop: CreditShop, wanted: number): Promise<Attempt> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const balance = await lockBalance(tx, shop, now);
    const spendable = balance.freeLeft + balance.purchasedLeft;
    if (spendable <= 0) return { kind: 'empty' };
    const held = heldAt(balance, now);
    let amount: number;
    if (spendable - held >= wanted) amount = wanted;
    else if (held === 0) amount = spendable;
    else return { kind: 'busy' };
    await tx
      .update(creditBalances)
      .set({
        reserved: held + amount,
        reservedUntil: new Date(now.getTime() + RESERVATION_TTL_MS),
        updatedAt: now,
      })
      .where(eq(creditBalances.shopId, shop.id));
    return { kind: 'reserved', reservation: { shop, amount } };
  });
}

/** Holds credits for one reply; throws 402 NO_CREDITS when none are left. */
export async function reserveCredits(
  deps: Deps,
  shop: CreditShop,
  options: { credits?: number; waitMs?: number } = {},
): Promise<CreditReservation> {
  const wanted = options.credits ?? RESERVATION_CREDITS;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const started = performance.now();
  for (;;) {
    const attempt = await tryReserve(deps, shop, wanted);
    if (attempt.kind === 'reserved') return attempt.reservation;
    if (attempt.kind === 'empty') throw noCredits();
    const waited = performance.now() - started;
    if (waited >= waitMs) throw creditsBusy(waited);
    await waitForSettlement(shop.id, Math.min(POLL_MS, waitMs - waited));
  }
}

/**
 * Gives a reply's hold back and charges its tokens; a reply that used nothing is not recorded. With
 * `holdAgain`, a caller making one call after another (a Smart Follow-up run) keeps holding the same
 * amount for its next call in the same transaction, instead of reserving again: one transaction per
 * call instead of two. The hold is taken again only when all of it is free after the charge. With
 * `alongside`, the caller's own writes about the call commit with its charge.
 */
export async function settleCharge(
  deps: Deps,
  reservation: CreditReservation,
  charge: CreditCharge,
  options: {
    holdAgain?: boolean;
    /** Writes that must commit with the charge (what it paid for), in the same transaction. */
    alongside?: (tx: Tx, settled: SettledCharge) => Promise<void>;
  } = {},
): Promise<SettledCharge> {
  const now = deps.clock.now();
  const { shop } = reservation;
  const tokens = charge.usage.total_tokens;
  try {
    return await deps.db.transaction(async (tx) => {
      const settle = async (settled: SettledCharge) => {
        await options.alongside?.(tx, settled);
        return settled;
      };
      const balance = await lockBalance(tx, shop, now);
      // Once the holds have lapsed, this reply's is gone with the others' and nothing is held.
      const othersHold = Math.max(0, heldAt(balance, now) - reservation.amount);
      const available = Math.max(0, balance.freeLeft + balance.purchasedLeft - othersHold);
      const charged = Math.min(tokens, available);
      // Free credits first: they expire at the end of the month, purchased ones never do.
      const fromFree = Math.min(charged, balance.freeLeft);
      const fromPurchased = charged - fromFree;
      const freeLeft = balance.freeLeft - fromFree;
      const purchasedLeft = balance.purchasedLeft - fromPurchased;
      const holdAgain =
        options.holdAgain === true && freeLeft + purchasedLeft - othersHold >= reservation.amount;
      const next = {
        freeLeft,
        purchasedLeft,
        reserved: othersHold + (holdAgain ? reservation.amount : 0),
        ...(holdAgain ? { reservedUntil: new Date(now.getTime() + RESERVATION_TTL_MS) } : {}),
        updatedAt: now,
      };
      const heldAgain = holdAgain ? reservation : null;
      const thisShop = eq(creditBalances.shopId, shop.id);
      if (tokens === 0) {
        await tx.update(creditBalances).set(next).where(thisShop);
        return settle({ charged: 0, unbilled: 0, heldAgain });
      }
      // The entry and the balance it moves, in one statement.
      const entry = tx.$with('entry').as(
        tx
          .insert(creditLedger)
          .values({
            id: newId('cred'),
            shopId: shop.id,
            kind: 'charge',
            period: balance.period,
            freeDelta: -fromFree,
            purchasedDelta: -fromPurchased,
            feature: charge.feature,
            reference: charge.reference,
            promptTokens: charge.usage.prompt_tokens,
            completionTokens: charge.usage.completion_tokens,
            unbilled: tokens - charged,
            createdAt: now,
          })
          .returning({ id: creditLedger.id }),
      );
      await tx.with(entry).update(creditBalances).set(next).where(thisShop);
      return settle({ charged, unbilled: tokens - charged, heldAgain });
    });
  } finally {
    signalSettlement(shop.id);
  }
}
