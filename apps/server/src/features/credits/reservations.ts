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
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { queryRows, type Db, type Tx } from '../../db/database.ts';
import { creditBalances, creditLedger } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { heldAt, lockBalance, type BalanceRow, type CreditShop } from './balance.ts';
import { creditsBusy, noCredits } from './errors.ts';
import { monthOf } from './period.ts';
import { signalSettlement, waitForSettlement } from './settlement-signal.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'invalidation'>;

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

/**
 * Writes that commit with a charge (what it paid for), as data-modifying statements with RETURNING,
 * run as the named parts of one WITH statement: a part may read the parts named before it. Each must
 * write only where `applies` (an SQL condition) holds: false when the charge did not go through.
 */
export type AlongsideWrites = (settled: SettledCharge, applies: SQL) => Array<[name: string, statement: SQL]>;

/** What `settleCharge` did: the charge, the rows each alongside write returned, and the balance it left. */
export interface Settlement extends SettledCharge {
  written: Record<string, number>;
  /** The balance as this settlement wrote it: pass it to the next `settleCharge` as `lastBalance`. */
  balance: BalanceRow;
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
    await waitForSettlement(deps, shop.id, Math.min(POLL_MS, waitMs - waited));
  }
}

/** The balance row and ledger entry a settlement writes, computed from the row it read. */
function planSettlement(
  balance: BalanceRow,
  reservation: CreditReservation,
  charge: CreditCharge,
  holdAgain: boolean,
  now: Date,
) {
  const tokens = charge.usage.total_tokens;
  // Once the holds have lapsed, this reply's is gone with the others' and nothing is held.
  const othersHold = Math.max(0, heldAt(balance, now) - reservation.amount);
  const available = Math.max(0, balance.freeLeft + balance.purchasedLeft - othersHold);
  const charged = Math.min(tokens, available);
  // Free credits first: they expire at the end of the month, purchased ones never do.
  const fromFree = Math.min(charged, balance.freeLeft);
  const fromPurchased = charged - fromFree;
  const freeLeft = balance.freeLeft - fromFree;
  const purchasedLeft = balance.purchasedLeft - fromPurchased;
  const holdsAgain = holdAgain && freeLeft + purchasedLeft - othersHold >= reservation.amount;
  const next: BalanceRow = {
    ...balance,
    freeLeft,
    purchasedLeft,
    reserved: othersHold + (holdsAgain ? reservation.amount : 0),
    reservedUntil: holdsAgain ? new Date(now.getTime() + RESERVATION_TTL_MS) : balance.reservedUntil,
    updatedAt: now,
  };
  const settled = { charged, unbilled: tokens - charged, heldAgain: holdsAgain ? reservation : null };
  // A reply that used nothing is not recorded.
  const entry =
    tokens === 0
      ? null
      : {
          id: newId('cred'),
          shopId: balance.shopId,
          kind: 'charge' as const,
          period: balance.period,
          freeDelta: -fromFree,
          purchasedDelta: -fromPurchased,
          feature: charge.feature,
          reference: charge.reference,
          promptTokens: charge.usage.prompt_tokens,
          completionTokens: charge.usage.completion_tokens,
          unbilled: tokens - charged,
          createdAt: now,
        };
  return { next, entry, settled };
}

type Plan = ReturnType<typeof planSettlement>;

/**
 * Writes a settlement as one statement: the balance row where `condition` holds, its ledger entry,
 * and the caller's alongside writes, the last two only when the balance was written. Parameters in a
 * SELECT list have no type of their own, hence the casts.
 */
async function writeSettlement(
  db: Db | Tx,
  plan: Plan,
  condition: SQL,
  alongside: ReturnType<AlongsideWrites>,
): Promise<{ applied: boolean; written: Record<string, number> }> {
  const { next, entry } = plan;
  const balance = db
    .update(creditBalances)
    .set({
      freeLeft: next.freeLeft,
      purchasedLeft: next.purchasedLeft,
      reserved: next.reserved,
      reservedUntil: next.reservedUntil,
      updatedAt: next.updatedAt,
    })
    .where(and(eq(creditBalances.shopId, next.shopId), condition))
    .returning({ shopId: creditBalances.shopId });
  const parts = [sql`credit_balance AS (${balance.getSQL()})`];
  if (entry !== null) {
    parts.push(sql`credit_entry AS (
      INSERT INTO ${creditLedger} (id, shop_id, kind, period, free_delta, purchased_delta, feature, reference,
        prompt_tokens, completion_tokens, unbilled, created_at)
      SELECT ${entry.id}::text, ${entry.shopId}::text, ${entry.kind}::text, ${entry.period}::text,
        ${entry.freeDelta}::bigint, ${entry.purchasedDelta}::bigint, ${entry.feature}::text, ${entry.reference}::text,
        ${entry.promptTokens}::integer, ${entry.completionTokens}::integer, ${entry.unbilled}::bigint,
        ${entry.createdAt.toISOString()}::timestamptz
      FROM credit_balance
      RETURNING id)`);
  }
  for (const [name, statement] of alongside) parts.push(sql`${sql.identifier(name)} AS (${statement})`);
  const counts = alongside.map(
    ([name]) => sql`(SELECT count(*) FROM ${sql.identifier(name)})::integer AS ${sql.identifier(name)}`,
  );
  const [row] = await queryRows<Record<string, number | boolean>>(
    db,
    sql`WITH ${sql.join(parts, sql`, `)}
      SELECT ${sql.join([sql`EXISTS (SELECT 1 FROM credit_balance) AS credit_applied`, ...counts], sql`, `)}`,
  );
  const { credit_applied: applied, ...written } = row as Record<string, number | boolean>;
  return { applied: applied === true, written: written as Record<string, number> };
}

/** The settlement's condition when it starts from the balance its caller last wrote: nobody moved it since. */
const unchangedSince = (seen: BalanceRow) =>
  and(
    eq(creditBalances.period, seen.period),
    eq(creditBalances.freeLeft, seen.freeLeft),
    eq(creditBalances.purchasedLeft, seen.purchasedLeft),
    eq(creditBalances.reserved, seen.reserved),
    seen.reservedUntil === null
      ? isNull(creditBalances.reservedUntil)
      : eq(creditBalances.reservedUntil, seen.reservedUntil),
  ) as SQL;

/**
 * Gives a reply's hold back and charges its tokens; a reply that used nothing is not recorded. With
 * `holdAgain`, a caller making one call after another (a Smart Follow-up run) keeps holding the same
 * amount for its next call in the same transaction, instead of reserving again. With `alongside`, the
 * caller's own writes about the call commit with its charge. With `lastBalance` (the `balance` of the
 * caller's previous settlement), the charge is one statement without a lock when nobody moved the
 * balance since, which is the usual case of a run; otherwise it is settled under the lock.
 */
export async function settleCharge(
  deps: Deps,
  reservation: CreditReservation,
  charge: CreditCharge,
  options: { holdAgain?: boolean; alongside?: AlongsideWrites; lastBalance?: BalanceRow } = {},
): Promise<Settlement> {
  const now = deps.clock.now();
  const { shop } = reservation;
  const holdAgain = options.holdAgain === true;
  const alongside = options.alongside ?? (() => []);
  const applies = sql`EXISTS (SELECT 1 FROM credit_balance)`;
  try {
    const seen = options.lastBalance;
    if (seen !== undefined && seen.shopId === shop.id && seen.period === monthOf(now, shop.timezone)) {
      const plan = planSettlement(seen, reservation, charge, holdAgain, now);
      const fast = await writeSettlement(
        deps.db,
        plan,
        unchangedSince(seen),
        alongside(plan.settled, applies),
      );
      if (fast.applied) return { ...plan.settled, written: fast.written, balance: plan.next };
    }
    return await deps.db.transaction(async (tx) => {
      const plan = planSettlement(await lockBalance(tx, shop, now), reservation, charge, holdAgain, now);
      const { written } = await writeSettlement(tx, plan, sql`true`, alongside(plan.settled, applies));
      return { ...plan.settled, written, balance: plan.next };
    });
  } finally {
    signalSettlement(deps, shop.id);
  }
}
