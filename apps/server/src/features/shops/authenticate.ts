/**
 * Who holds a bearer token. Shop and agent tokens are found by their hash (indexed) and remembered for a
 * moment (principal-cache.ts); the admin token is compared in constant time against the configured or
 * stored hash. A token of a disabled shop, a revoked token and a deleted agent's token resolve to nobody.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { agentPermissions, type AgentPermission } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { agents, apiTokens, serverMeta, shops } from '../../db/schema.ts';
import { hashToken, safeEqual } from '../../lib/tokens.ts';
import { principalCache, type KnownToken } from './principal-cache.ts';
import { recordTokenUse } from './token-use.ts';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'shop'; shopId: string }
  | { kind: 'agent'; shopId: string; agentId: string; permissions: readonly AgentPermission[] };

export const ADMIN_TOKEN_HASH_KEY = 'admin_token_hash';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock' | 'invalidation' | 'logger'>;

/** Resolves a bearer token to who holds it, or null. */
export async function authenticateToken(deps: Deps, token: string): Promise<Principal | null> {
  if (token.length < 16 || token.length > 200) return null;
  const hash = hashToken(token);
  if (token.startsWith('pk_admin_') || deps.config.PARLEY_ADMIN_TOKEN !== undefined) {
    const adminHash = await readAdminTokenHash(deps);
    if (adminHash !== undefined && safeEqual(hash, adminHash)) return { kind: 'admin' };
  }
  const cache = principalCache(deps);
  let known = cache.get(hash)?.value;
  if (known === undefined) {
    const generation = cache.generation();
    known = await readToken(deps, hash);
    if (known === undefined) return null;
    cache.set(hash, known.principal.shopId, known, generation);
  }
  await recordTokenUse(deps, known);
  return known.principal;
}

async function readToken(deps: Pick<AppDeps, 'db'>, hash: string): Promise<KnownToken | undefined> {
  const [row] = await deps.db
    .select({
      id: apiTokens.id,
      shopId: apiTokens.shopId,
      kind: apiTokens.kind,
      agentId: apiTokens.agentId,
      tokenHash: apiTokens.tokenHash,
      lastUsedAt: apiTokens.lastUsedAt,
      permissions: agents.permissions,
    })
    .from(apiTokens)
    .innerJoin(shops, and(eq(shops.id, apiTokens.shopId), isNull(shops.disabledAt)))
    .leftJoin(agents, eq(agents.id, apiTokens.agentId))
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
  if (row === undefined || !safeEqual(row.tokenHash, hash)) return undefined;
  const principal: KnownToken['principal'] =
    row.kind === 'agent' && row.agentId !== null
      ? {
          kind: 'agent',
          shopId: row.shopId,
          agentId: row.agentId,
          permissions: readPermissions(row.permissions),
        }
      : { kind: 'shop', shopId: row.shopId };
  return { principal, tokenId: row.id, lastUsedAt: row.lastUsedAt?.getTime() ?? null };
}

/** Stored permissions outside the known set (written by a newer version) grant nothing here. */
const readPermissions = (stored: string[] | null): AgentPermission[] =>
  (stored ?? []).filter((p): p is AgentPermission => (agentPermissions as readonly string[]).includes(p));

async function readAdminTokenHash(deps: Pick<AppDeps, 'db' | 'config'>): Promise<string | undefined> {
  if (deps.config.PARLEY_ADMIN_TOKEN !== undefined) return hashToken(deps.config.PARLEY_ADMIN_TOKEN);
  const [row] = await deps.db.select().from(serverMeta).where(eq(serverMeta.key, ADMIN_TOKEN_HASH_KEY));
  return row?.value;
}
