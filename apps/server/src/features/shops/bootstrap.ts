/**
 * The first start of a fresh store: an admin token (unless PARLEY_ADMIN_TOKEN is set) and a demo
 * shop, whose secrets are printed exactly once. The `bootstrapped_at` row is inserted first with
 * ON CONFLICT DO NOTHING, so when several processes start together on one PostgreSQL only one
 * of them bootstraps.
 */
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import type { Db } from '../../db/database.ts';
import { serverMeta } from '../../db/schema.ts';
import { generateToken, hashToken } from '../../lib/tokens.ts';
import { ADMIN_TOKEN_HASH_KEY } from './authenticate.ts';
import { createShop } from './service.ts';

/** Remembers which shop is the demo one, so later starts can run the demo CRM for it. */
const DEMO_SHOP_ID_KEY = 'demo_shop_id';

export interface FirstStartSecrets {
  adminToken: string | undefined;
  demoShop: { id: string; name: string; token: string } | undefined;
}

export async function bootstrapFirstStart(
  deps: Pick<AppDeps, 'db' | 'secrets' | 'config' | 'clock'>,
): Promise<FirstStartSecrets | null> {
  const claimed = await deps.db
    .insert(serverMeta)
    .values({ key: 'bootstrapped_at', value: deps.clock.now().toISOString() })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) return null;

  let adminToken: string | undefined;
  if (deps.config.PARLEY_ADMIN_TOKEN === undefined) {
    adminToken = generateToken('admin');
    await deps.db.insert(serverMeta).values({ key: ADMIN_TOKEN_HASH_KEY, value: hashToken(adminToken) });
  }
  let demoShop: FirstStartSecrets['demoShop'];
  if (!deps.config.PARLEY_DISABLE_DEMO) {
    const created = await createShop(deps, {
      name: 'Demo shop',
      country: 'ES',
      timezone: 'Europe/Madrid',
      locale: 'es-ES',
    });
    demoShop = { id: created.shop.id, name: created.shop.name, token: created.token };
    await deps.db.insert(serverMeta).values({ key: DEMO_SHOP_ID_KEY, value: demoShop.id });
  }
  return { adminToken, demoShop };
}

/** The shop the first start created for the demo, if it did. */
export async function findDemoShopId(db: Db): Promise<string | undefined> {
  const [row] = await db.select().from(serverMeta).where(eq(serverMeta.key, DEMO_SHOP_ID_KEY));
  return row?.value;
}

export function mcpClientSnippet(mcpUrl: string, token: string): string {
  return JSON.stringify(
    { mcpServers: { parley: { type: 'http', url: mcpUrl, headers: { Authorization: `Bearer ${token}` } } } },
    null,
    2,
  );
}

/** The banner printed once on first start: the only time these tokens are shown. */
export function renderFirstStartBanner(secrets: FirstStartSecrets, baseUrl: string): string {
  const lines = ['', '=== Parley first start: save these now, they are shown only once ==='];
  lines.push(`Web console: ${baseUrl}/ (sign in with a shop token, or the admin token to manage shops)`);
  if (secrets.adminToken !== undefined) lines.push(`Admin token (for /api/admin/*): ${secrets.adminToken}`);
  if (secrets.demoShop !== undefined) {
    lines.push(
      `Demo shop "${secrets.demoShop.name}" (${secrets.demoShop.id}) token: ${secrets.demoShop.token}`,
    );
    lines.push('', 'MCP client configuration (Claude Code .mcp.json, Cursor mcp.json, ...):');
    lines.push(mcpClientSnippet(`${baseUrl}/api/mcp`, secrets.demoShop.token));
    lines.push(
      '',
      "The demo shop's CRM endpoints point to the demo CRM (fake data). See a customer as the side panel does:",
      `curl -H "Authorization: Bearer ${secrets.demoShop.token}" '${baseUrl}/api/panel/customer?phone=%2B34655123987'`,
    );
    lines.push(
      '',
      `Try it: npx -y @modelcontextprotocol/inspector@2.12.0 --cli ${baseUrl}/api/mcp --transport http --header "Authorization: Bearer ${secrets.demoShop.token}" --method tools/list`,
    );
  }
  lines.push('=====================================================================', '');
  return lines.join('\n');
}
