/**
 * Shops as the admin manages them: create, list, update, disable, enable, delete. Every change that can
 * make a process's cached copy wrong is announced on the invalidation channel before it returns.
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { CreateShopRequest, UpdateShopRequest } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo } from '../../lib/secret-box.ts';
import type { Db } from '../../db/database.ts';
import { apiTokens, panelLookupAuditBatches, shops, type ShopSettings } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { generateToken, hashToken, tokenPrefix } from '../../lib/tokens.ts';
import { notifyWorkers } from '../../db/wake.ts';
import { forgetShop } from './shop-changes.ts';
import { forgetShopPrincipals } from './principal-cache.ts';

type ShopRow = typeof shops.$inferSelect;

/** The shop as the API shows it: never the signing secret. */
export const presentShop = (shop: ShopRow) => ({
  id: shop.id,
  name: shop.name,
  country: shop.country,
  timezone: shop.timezone,
  locale: shop.locale,
  settings: { require_confirmation_token: shop.settings.requireConfirmationToken === true },
  disabled_at: shop.disabledAt?.toISOString() ?? null,
  created_at: shop.createdAt.toISOString(),
});

export async function createShop(deps: Pick<AppDeps, 'db' | 'secrets'>, input: CreateShopRequest) {
  const token = generateToken('shop');
  const id = newId('shop');
  const shop = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(shops)
      .values({
        id,
        name: input.name,
        country: input.country,
        timezone: input.timezone,
        locale: input.locale,
        requestSigningSecret: deps.secrets.seal(
          randomBytes(32).toString('base64url'),
          boundTo(id, 'shops.request_signing_secret'),
        ),
      })
      .returning();
    if (row === undefined) throw new Error('insert into shops returned no row');
    await tx.insert(apiTokens).values({
      id: newId('tok'),
      shopId: row.id,
      kind: 'shop',
      tokenHash: hashToken(token),
      tokenPrefix: tokenPrefix(token),
    });
    return row;
  });
  return { shop: presentShop(shop), token };
}

export async function listShops(db: Db) {
  const rows = await db.select().from(shops).orderBy(shops.createdAt);
  return rows.map(presentShop);
}

const shopNotFound = (shopId: string) =>
  new AppError('NOT_FOUND', `Shop ${shopId} does not exist. GET /api/admin/shops lists the shops.`, 404);

export async function getShop(db: Db, shopId: string): Promise<ShopRow> {
  const [row] = await db.select().from(shops).where(eq(shops.id, shopId));
  if (row === undefined) throw shopNotFound(shopId);
  return row;
}

export async function updateShop(
  deps: Pick<AppDeps, 'db' | 'invalidation'>,
  shopId: string,
  input: UpdateShopRequest,
) {
  const updated = await deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(shops).where(eq(shops.id, shopId)).for('update');
    if (current === undefined) throw shopNotFound(shopId);
    const settings: ShopSettings = { ...current.settings };
    if (input.settings?.require_confirmation_token !== undefined) {
      settings.requireConfirmationToken = input.settings.require_confirmation_token;
    }
    const [row] = await tx
      .update(shops)
      .set({
        name: input.name,
        country: input.country,
        timezone: input.timezone,
        locale: input.locale,
        settings,
      })
      .where(eq(shops.id, shopId))
      .returning();
    if (row === undefined) throw new Error('update of a locked shop returned no row');
    return row;
  });
  await forgetShop(deps, shopId);
  return { shop: presentShop(updated) };
}

/**
 * A disabled shop's tokens are refused everywhere (authenticate.ts), and the worker leaves its webhook
 * deliveries waiting (webhooks' claim) until it is enabled again; nothing is lost meanwhile.
 */
export async function setShopDisabled(
  deps: Pick<AppDeps, 'db' | 'clock' | 'invalidation'>,
  shopId: string,
  disabled: boolean,
) {
  const [row] = await deps.db
    .update(shops)
    // Disabling twice keeps the first time: that is when the shop stopped working.
    .set({
      disabledAt: disabled
        ? sql`coalesce(${shops.disabledAt}, ${deps.clock.now().toISOString()}::timestamptz)`
        : null,
    })
    .where(eq(shops.id, shopId))
    .returning();
  if (row === undefined) throw shopNotFound(shopId);
  await forgetShopPrincipals(deps, shopId);
  // Deliveries held while it was disabled are due already: wake the workers rather than wait for a poll.
  if (!disabled) await notifyWorkers(deps.db);
  return { shop: presentShop(row) };
}

/**
 * Removes the shop and everything stored for it: its tables reference it with ON DELETE CASCADE, except
 * the lookup audit batches, which have no foreign key (db/schema.ts says why) and are deleted here.
 */
export async function deleteShop(deps: Pick<AppDeps, 'db' | 'invalidation'>, shopId: string) {
  const deleted = await deps.db.transaction(async (tx) => {
    await tx.delete(panelLookupAuditBatches).where(eq(panelLookupAuditBatches.shopId, shopId));
    return tx.delete(shops).where(eq(shops.id, shopId)).returning({ id: shops.id });
  });
  if (deleted.length === 0) throw shopNotFound(shopId);
  // Its other cached rows (CRM endpoints, country) can no longer be reached: every request needs its token.
  await forgetShopPrincipals(deps, shopId);
  return { deleted: true, id: shopId };
}
