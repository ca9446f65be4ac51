/** SQL for the one webhook a shop has; a shop that never configured one reads as the defaults. */
import { DEFAULT_WEBHOOK_TIMEOUT_MS, webhookEventTypes, type WebhookEventType } from '@parley/contract';
import { eq, getTableName, sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import type { Db } from '../../db/database.ts';
import { webhookConfigs, webhookDeliveries } from '../../db/schema.ts';
import { preparedPerHandle } from '../../db/prepared-query.ts';
import { createWriteCheckedCache, type WriteCheckedCache } from '../../db/write-checked-cache.ts';
import { notifyWorkers } from '../../db/wake.ts';
import { countPending, resumeDeliveries } from './delivery-store.ts';
import { noHealth, resumedHealth, type WebhookHealth } from './health.ts';

/** What configure_webhooks sets. */
export interface StoredWebhookSettings {
  enabled: boolean;
  url: string | null;
  events: WebhookEventType[];
  /** Sealed with deps.secrets; null when no secret is set. */
  sealedSecret: string | null;
  timeoutMs: number;
}

export type StoredWebhookConfig = StoredWebhookSettings & WebhookHealth;

const isKnownEvent = (event: string): event is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(event);

export const defaultWebhookConfig: StoredWebhookConfig = {
  enabled: false,
  url: null,
  events: [],
  sealedSecret: null,
  timeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
  ...noHealth,
};

type WebhookConfigRow = typeof webhookConfigs.$inferSelect;

const storedConfigOf = (row: WebhookConfigRow): StoredWebhookConfig => ({
  enabled: row.enabled,
  url: row.url,
  // An event a later version stopped supporting is dropped rather than shown as subscribed.
  events: row.events.filter(isKnownEvent),
  sealedSecret: row.secret,
  timeoutMs: row.timeoutMs,
  pausedAt: row.pausedAt,
  pauseReason: row.pauseReason,
  nextProbeAt: row.nextProbeAt,
  failingSince: row.failingSince,
  lastSuccessAt: row.lastSuccessAt,
  lastFailureAt: row.lastFailureAt,
});

export async function readWebhookConfig(db: Db, shopId: string): Promise<StoredWebhookConfig> {
  const [row] = await db.select().from(webhookConfigs).where(eq(webhookConfigs.shopId, shopId));
  return row === undefined ? defaultWebhookConfig : storedConfigOf(row);
}

// From one row of nothing, so that a shop that never configured its webhook gets its count too.
const configAndPendingQuery = preparedPerHandle((db) => {
  const shopId = sql.placeholder('shopId');
  return db
    .select({ row: webhookConfigs, pending: countPending(db, shopId) })
    .from(sql`(select 1) as one`)
    .leftJoin(webhookConfigs, eq(webhookConfigs.shopId, shopId))
    .prepare('webhook_config_and_pending');
});

interface ConfigAndPending {
  config: StoredWebhookConfig;
  pending: number;
}

/** Shops whose last read is kept: each entry is a few hundred bytes. */
const CACHED_SHOPS = 1000;

const configAndPendingCache = (
  deps: Pick<AppDeps, 'invalidation' | 'localWrites'>,
): WriteCheckedCache<ConfigAndPending> =>
  deps.invalidation.cache('webhook-config-and-pending', () =>
    createWriteCheckedCache<ConfigAndPending>(
      deps.localWrites,
      [getTableName(webhookConfigs), getTableName(webhookDeliveries)],
      { maxEntries: CACHED_SHOPS },
    ),
  );

/**
 * The config and how many of the shop's deliveries wait, in one prepared statement: get_webhook_config's
 * read, the call bench/mcp-latency.ts measures against the MCP SDK's own speed. On PGlite it is read
 * again only after a statement that may have changed either table (db/write-checked-cache.ts).
 */
export function readWebhookConfigAndPending(
  deps: Pick<AppDeps, 'db' | 'invalidation' | 'localWrites'>,
  shopId: string,
): Promise<ConfigAndPending> {
  return configAndPendingCache(deps).read(shopId, async () => {
    const [found] = await configAndPendingQuery(deps.db).execute({ shopId });
    return {
      config: found?.row == null ? defaultWebhookConfig : storedConfigOf(found.row),
      pending: found?.pending ?? 0,
    };
  });
}

/**
 * Stores the settings. Configuring the webhook also resumes it and starts a fresh 5-day failure
 * window (the user changed something, or says it works again): what a paused webhook missed is
 * due at once.
 */
export async function writeWebhookConfig(
  db: Db,
  shopId: string,
  settings: StoredWebhookSettings,
  now: Date,
): Promise<void> {
  const values = {
    enabled: settings.enabled,
    url: settings.url,
    events: settings.events,
    secret: settings.sealedSecret,
    timeoutMs: settings.timeoutMs,
    ...resumedHealth,
    updatedAt: now,
  };
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ pausedAt: webhookConfigs.pausedAt, failingSince: webhookConfigs.failingSince })
      .from(webhookConfigs)
      .where(eq(webhookConfigs.shopId, shopId))
      .for('update');
    await tx
      .insert(webhookConfigs)
      .values({ shopId, ...values })
      .onConflictDoUpdate({ target: webhookConfigs.shopId, set: values });
    if (before !== undefined && before.pausedAt !== null) {
      await resumeDeliveries(tx, shopId, before.failingSince, now);
    }
    if (settings.enabled) await notifyWorkers(tx);
  });
}
