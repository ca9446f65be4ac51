/**
 * Serializes the confirmed changes of one shop (docs/mcp.md#confirmed-changes): a transaction-level
 * advisory lock, released by the commit or rollback, so a change plans from the state the previous
 * one left. An advisory lock rather than `SELECT … FOR UPDATE` on the shop row, which would also hold
 * up every insert referencing the shop (foreign keys take a share lock on it) for as long as the change
 * runs. It works alike on PGlite and PostgreSQL; PGlite runs one transaction at a time anyway.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from './database.ts';

/** The first half of the two-key lock: a namespace of its own, apart from any one-key lock. */
const SHOP_CHANGE_LOCK_SPACE = 7_201_512;

/** Waits until no other transaction holds the shop's change lock, then holds it until this one ends. */
export async function lockShopChanges(tx: Tx, shopId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SHOP_CHANGE_LOCK_SPACE}, hashtext(${shopId}))`);
}
