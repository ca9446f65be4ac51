/**
 * The one-time upgrade of sealed secrets to the bound format (lib/secret-box.ts): values sealed
 * before binding existed (`v1`) are opened and sealed again for their shop and column. It runs at
 * start-up, before anything opens a secret; a marker in server_meta makes every later start skip it
 * with one read. Each row is rewritten only if it still holds the value read, so processes starting
 * together on one PostgreSQL can run it at once: the second finds nothing left to do.
 */
import { eq, like, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { AppDeps } from '../../app-deps.ts';
import { queryRows } from '../../db/database.ts';
import {
  aiSettings,
  crmEndpoints,
  customFunctions,
  serverMeta,
  shops,
  webhookConfigs,
} from '../../db/schema.ts';
import { boundTo, type SealedField } from '../../lib/secret-box.ts';

export const SEALED_FORMAT_KEY = 'sealed_secrets_format';
const SEALED_FORMAT = 'v2';

interface SealedColumn {
  field: SealedField;
  table: PgTable;
  /** A column that identifies the row. */
  key: PgColumn;
  shopId: PgColumn;
  value: PgColumn;
}

const sealedColumns: SealedColumn[] = [
  {
    field: 'shops.request_signing_secret',
    table: shops,
    key: shops.id,
    shopId: shops.id,
    value: shops.requestSigningSecret,
  },
  {
    field: 'webhook_configs.secret',
    table: webhookConfigs,
    key: webhookConfigs.shopId,
    shopId: webhookConfigs.shopId,
    value: webhookConfigs.secret,
  },
  {
    field: 'crm_endpoints.credentials',
    table: crmEndpoints,
    key: crmEndpoints.id,
    shopId: crmEndpoints.shopId,
    value: crmEndpoints.credentials,
  },
  {
    field: 'custom_functions.credentials',
    table: customFunctions,
    key: customFunctions.id,
    shopId: customFunctions.shopId,
    value: customFunctions.credentials,
  },
  {
    field: 'ai_settings.api_key',
    table: aiSettings,
    key: aiSettings.shopId,
    shopId: aiSettings.shopId,
    value: aiSettings.apiKey,
  },
];

type Deps = Pick<AppDeps, 'db' | 'secrets' | 'logger'>;

export interface ResealReport {
  /** False when the marker said the upgrade was already done. */
  ran: boolean;
  resealed: number;
  /** Rows whose value could not be opened with the configured key (left as they are). */
  unreadable: number;
}

export async function resealSecrets(deps: Deps): Promise<ResealReport> {
  const [marker] = await deps.db.select().from(serverMeta).where(eq(serverMeta.key, SEALED_FORMAT_KEY));
  if (marker?.value === SEALED_FORMAT) return { ran: false, resealed: 0, unreadable: 0 };
  let resealed = 0;
  let unreadable = 0;
  for (const column of sealedColumns) {
    const outcome = await resealColumn(deps, column);
    resealed += outcome.resealed;
    unreadable += outcome.unreadable;
  }
  // Unreadable rows keep the upgrade pending, so a start with the right key still reseals them.
  if (unreadable === 0) {
    await deps.db
      .insert(serverMeta)
      .values({ key: SEALED_FORMAT_KEY, value: SEALED_FORMAT })
      .onConflictDoUpdate({ target: serverMeta.key, set: { value: SEALED_FORMAT } });
  }
  if (resealed > 0) deps.logger.info({ resealed }, 'stored secrets resealed, bound to their shop and field');
  return { ran: true, resealed, unreadable };
}

async function resealColumn(deps: Deps, column: SealedColumn) {
  const rows = await deps.db
    .select({ key: column.key, shopId: column.shopId, value: column.value })
    .from(column.table)
    .where(like(column.value, 'v1.%'));
  let resealed = 0;
  let unreadable = 0;
  for (const row of rows) {
    const [key, shopId, old] = [row.key, row.shopId, row.value] as string[];
    let plaintext: string;
    try {
      plaintext = deps.secrets.openUnbound(old!);
    } catch (error) {
      unreadable++;
      deps.logger.error(
        { field: column.field, shop_id: shopId, err: error },
        'a stored secret could not be opened to reseal it; it stays unusable until PARLEY_SECRET_KEY is the key it was sealed with',
      );
      continue;
    }
    const sealed = deps.secrets.seal(plaintext, boundTo(shopId!, column.field));
    const updated = await queryRows(
      deps.db,
      sql`update ${column.table} set ${sql.identifier(column.value.name)} = ${sealed}
          where ${column.key} = ${key} and ${column.value} = ${old} returning 1 as updated`,
    );
    resealed += updated.length;
  }
  return { resealed, unreadable };
}
