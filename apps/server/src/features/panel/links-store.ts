/** The SQL of chat links; every query is scoped by shop. */
import { and, asc, eq, getTableColumns, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { panelLinks } from '../../db/schema.ts';

export type LinkRow = typeof panelLinks.$inferSelect;
export type NewLink = Omit<typeof panelLinks.$inferInsert, 'createdAt' | 'updatedAt'> & { at: Date };

/**
 * Inserts the link, or updates the stored details when that customer is already linked to the chat.
 * `inserted` comes from `xmax = 0`, which PostgreSQL sets only on a freshly inserted row.
 */
export async function upsertLink(db: Db, link: NewLink): Promise<{ row: LinkRow; inserted: boolean }> {
  const { at, ...values } = link;
  const details = {
    customerId: values.customerId,
    customerPhone: values.customerPhone,
    customerName: values.customerName,
    customerEmail: values.customerEmail,
    updatedAt: at,
  };
  const [result] = await db
    .insert(panelLinks)
    .values({ ...values, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: [panelLinks.shopId, panelLinks.chatPhone, panelLinks.customerKey],
      set: details,
    })
    .returning({ ...getTableColumns(panelLinks), inserted: sql<boolean>`(xmax = 0)` });
  if (result === undefined) throw new Error('upsert into panel_links returned no row');
  const { inserted, ...row } = result;
  return { row, inserted };
}

export async function selectLinks(db: Db, shopId: string, chatPhone: string): Promise<LinkRow[]> {
  return db
    .select()
    .from(panelLinks)
    .where(and(eq(panelLinks.shopId, shopId), eq(panelLinks.chatPhone, chatPhone)))
    .orderBy(asc(panelLinks.createdAt), asc(panelLinks.id));
}

/** The customer phones linked to each of `chatPhones`, in one statement; chats without links are absent. */
export async function selectLinkedPhonesOfChats(
  db: Db,
  shopId: string,
  chatPhones: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = await db
    .selectDistinct({ chatPhone: panelLinks.chatPhone, phone: panelLinks.customerPhone })
    .from(panelLinks)
    .where(
      and(
        eq(panelLinks.shopId, shopId),
        inArray(panelLinks.chatPhone, [...chatPhones]),
        isNotNull(panelLinks.customerPhone),
      ),
    );
  const linked = new Map<string, string[]>();
  for (const row of rows) {
    if (row.phone === null) continue;
    const phones = linked.get(row.chatPhone) ?? [];
    phones.push(row.phone);
    linked.set(row.chatPhone, phones);
  }
  return linked;
}

/** Every (chat, linked customer phone) pair of the shop: the panel keeps them in memory per shop. */
export async function selectShopLinkedPhones(
  db: Db,
  shopId: string,
): Promise<Array<{ chatPhone: string; phone: string }>> {
  const rows = await db
    .select({ chatPhone: panelLinks.chatPhone, phone: panelLinks.customerPhone })
    .from(panelLinks)
    .where(and(eq(panelLinks.shopId, shopId), isNotNull(panelLinks.customerPhone)));
  return rows.flatMap((row) => (row.phone === null ? [] : [{ chatPhone: row.chatPhone, phone: row.phone }]));
}

/** The deleted link, or undefined when the shop has no link with that id. */
export async function deleteLink(db: Db, shopId: string, id: string): Promise<LinkRow | undefined> {
  const [row] = await db
    .delete(panelLinks)
    .where(and(eq(panelLinks.shopId, shopId), eq(panelLinks.id, id)))
    .returning();
  return row;
}
