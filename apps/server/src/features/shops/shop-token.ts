/**
 * The shop token (docs/tokens-and-agents.md): described without the secret (get_api_key), and replaced
 * by a new one shown once (regenerate_api_key, POST /api/admin/shops/:id/token). The old token is
 * refused from the moment the new one is returned, in every process.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import type { Db } from '../../db/database.ts';
import { apiTokens, shops } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { generateToken, hashToken, tokenPrefix } from '../../lib/tokens.ts';
import { forgetShopPrincipals } from './principal-cache.ts';

type TokenRow = Pick<typeof apiTokens.$inferSelect, 'id' | 'tokenPrefix' | 'createdAt' | 'lastUsedAt'>;

const presentToken = (row: TokenRow) => ({
  prefix: row.tokenPrefix,
  created_at: row.createdAt.toISOString(),
  last_used_at: row.lastUsedAt?.toISOString() ?? null,
});

/** Where MCP clients reach this server: PARLEY_PUBLIC_URL when set, else the listen address. */
export function mcpUrl(config: AppDeps['config']): string {
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `${config.PARLEY_PUBLIC_URL ?? `http://${host}:${config.PORT}`}/api/mcp`;
}

async function currentToken(db: Db, shopId: string): Promise<TokenRow | undefined> {
  const [row] = await db
    .select({
      id: apiTokens.id,
      tokenPrefix: apiTokens.tokenPrefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.shopId, shopId), eq(apiTokens.kind, 'shop'), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt))
    .limit(1);
  return row;
}

/** The shop token's prefix, creation and last use, and the MCP URL: never the token. */
export async function describeShopToken(deps: Pick<AppDeps, 'db' | 'config'>, shopId: string) {
  const row = await currentToken(deps.db, shopId);
  return {
    token: row === undefined ? null : presentToken(row),
    mcp_url: mcpUrl(deps.config),
    note: 'The token itself is shown only when it is created or regenerated; Parley keeps only its hash.',
  };
}

/** What a rotation replaces, for the confirmation preview (the token id binds the preview to this token). */
export async function previewShopTokenRotation(deps: Pick<AppDeps, 'db'>, shopId: string) {
  const row = await currentToken(deps.db, shopId);
  return {
    summary: `replace the shop token${row === undefined ? '' : ` ${row.tokenPrefix}…`} with a new one`,
    consequence:
      'The current token stops working at once, in every Parley process: every MCP client, extension and ' +
      'integration using it must be given the new token, which the result shows once.',
    before: { token: row === undefined ? null : presentToken(row) },
    after: { token: 'a new token, shown once the change is applied' },
    hidden: row?.id ?? null,
  };
}

export async function rotateShopToken(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config' | 'invalidation'>,
  shopId: string,
) {
  const now = deps.clock.now();
  const token = generateToken('shop');
  const row = await deps.db.transaction(async (tx) => {
    // Locks the shop row, so two rotations at once leave exactly one live token.
    const [shop] = await tx.select({ id: shops.id }).from(shops).where(eq(shops.id, shopId)).for('update');
    if (shop === undefined) {
      throw new AppError(
        'NOT_FOUND',
        `Shop ${shopId} does not exist. GET /api/admin/shops lists the shops.`,
        404,
      );
    }
    await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.shopId, shopId), eq(apiTokens.kind, 'shop'), isNull(apiTokens.revokedAt)));
    const [inserted] = await tx
      .insert(apiTokens)
      .values({
        id: newId('tok'),
        shopId,
        kind: 'shop',
        tokenHash: hashToken(token),
        tokenPrefix: tokenPrefix(token),
        createdAt: now,
      })
      .returning();
    if (inserted === undefined) throw new Error('insert into api_tokens returned no row');
    return inserted;
  });
  await forgetShopPrincipals(deps, shopId);
  return {
    token,
    token_info: presentToken(row),
    mcp_url: mcpUrl(deps.config),
    message: 'Save this token now: it is not shown again. The previous shop token no longer works.',
  };
}
