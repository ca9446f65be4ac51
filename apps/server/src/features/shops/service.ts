import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import {
  agentPermissions,
  type AgentPermission,
  type CreateAgentRequest,
  type CreateShopRequest,
} from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { agents, apiTokens, serverMeta, shops } from '../../db/schema.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { generateToken, hashToken, safeEqual, tokenPrefix } from '../../lib/tokens.ts';
import { recallPrincipal, rememberPrincipal } from './principal-cache.ts';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'shop'; shopId: string }
  | { kind: 'agent'; shopId: string; agentId: string; permissions: readonly AgentPermission[] };

type ShopRow = typeof shops.$inferSelect;

export const ADMIN_TOKEN_HASH_KEY = 'admin_token_hash';

/** The shop as the API shows it: never the signing secret. */
export const presentShop = (shop: ShopRow) => ({
  id: shop.id,
  name: shop.name,
  country: shop.country,
  timezone: shop.timezone,
  locale: shop.locale,
  created_at: shop.createdAt.toISOString(),
});

export async function createShop(deps: Pick<AppDeps, 'db' | 'secrets'>, input: CreateShopRequest) {
  const token = generateToken('shop');
  const shop = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(shops)
      .values({
        id: newId('shop'),
        name: input.name,
        country: input.country,
        timezone: input.timezone,
        locale: input.locale,
        requestSigningSecret: deps.secrets.seal(randomBytes(32).toString('base64url')),
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

export async function getShop(db: Db, shopId: string): Promise<ShopRow> {
  const [row] = await db.select().from(shops).where(eq(shops.id, shopId));
  if (row === undefined) throw new AppError('NOT_FOUND', `Shop ${shopId} does not exist.`, 404);
  return row;
}

export async function createAgent(db: Db, shopId: string, input: CreateAgentRequest) {
  const token = generateToken('agent');
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.shopId, shopId), eq(agents.nickname, input.nickname)));
    if (existing !== undefined) {
      throw new AppError(
        'CONFLICT',
        `An agent with nickname "${input.nickname}" already exists in this shop.`,
        409,
      );
    }
    const [agent] = await tx
      .insert(agents)
      .values({
        id: newId('agt'),
        shopId,
        nickname: input.nickname,
        name: input.name,
        permissions: input.permissions,
      })
      .returning();
    if (agent === undefined) throw new Error('insert into agents returned no row');
    await tx.insert(apiTokens).values({
      id: newId('tok'),
      shopId,
      kind: 'agent',
      agentId: agent.id,
      tokenHash: hashToken(token),
      tokenPrefix: tokenPrefix(token),
    });
    return { agent: presentAgent(agent), token };
  });
}

const presentAgent = (agent: typeof agents.$inferSelect) => ({
  id: agent.id,
  nickname: agent.nickname,
  name: agent.name,
  permissions: agent.permissions,
  created_at: agent.createdAt.toISOString(),
});

export async function listAgents(db: Db, shopId: string) {
  const rows = await db.select().from(agents).where(eq(agents.shopId, shopId)).orderBy(agents.createdAt);
  return rows.map(presentAgent);
}

/**
 * Resolves a bearer token to who holds it, or null. Tokens are found by their hash (indexed);
 * the admin token is compared in constant time against the configured or stored hash.
 * Shop and agent tokens are remembered for a few seconds (principal-cache.ts).
 */
export async function authenticateToken(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  token: string,
): Promise<Principal | null> {
  if (token.length < 16 || token.length > 200) return null;
  const hash = hashToken(token);
  if (token.startsWith('pk_admin_') || deps.config.PARLEY_ADMIN_TOKEN !== undefined) {
    const adminHash = await readAdminTokenHash(deps);
    if (adminHash !== undefined && safeEqual(hash, adminHash)) return { kind: 'admin' };
  }
  const recalled = recallPrincipal(deps, hash);
  if (recalled !== undefined) return recalled;
  const [row] = await deps.db
    .select({
      shopId: apiTokens.shopId,
      kind: apiTokens.kind,
      agentId: apiTokens.agentId,
      tokenHash: apiTokens.tokenHash,
      permissions: agents.permissions,
    })
    .from(apiTokens)
    .leftJoin(agents, eq(agents.id, apiTokens.agentId))
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
  if (row === undefined || !safeEqual(row.tokenHash, hash)) return null;
  const principal: Principal =
    row.kind === 'agent' && row.agentId !== null
      ? {
          kind: 'agent',
          shopId: row.shopId,
          agentId: row.agentId,
          permissions: readPermissions(row.permissions),
        }
      : { kind: 'shop', shopId: row.shopId };
  rememberPrincipal(deps, hash, principal);
  return principal;
}

/** Stored permissions outside the known set (written by a newer version) grant nothing here. */
const readPermissions = (stored: string[] | null): AgentPermission[] =>
  (stored ?? []).filter((p): p is AgentPermission => (agentPermissions as readonly string[]).includes(p));

async function readAdminTokenHash(deps: Pick<AppDeps, 'db' | 'config'>): Promise<string | undefined> {
  if (deps.config.PARLEY_ADMIN_TOKEN !== undefined) return hashToken(deps.config.PARLEY_ADMIN_TOKEN);
  const [row] = await deps.db.select().from(serverMeta).where(eq(serverMeta.key, ADMIN_TOKEN_HASH_KEY));
  return row?.value;
}
