/** SQL for the one webhook a shop has; a shop that never configured one reads as the defaults. */
import { webhookEventTypes, type WebhookEventType } from '@parley/contract';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { webhookConfigs } from '../../db/schema.ts';

export interface StoredWebhookConfig {
  enabled: boolean;
  url: string | null;
  events: WebhookEventType[];
  /** Sealed with deps.secrets; null when no secret is set. */
  sealedSecret: string | null;
  pausedAt: Date | null;
}

const isKnownEvent = (event: string): event is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(event);

export async function readWebhookConfig(db: Db, shopId: string): Promise<StoredWebhookConfig> {
  const [row] = await db.select().from(webhookConfigs).where(eq(webhookConfigs.shopId, shopId));
  if (row === undefined) return { enabled: false, url: null, events: [], sealedSecret: null, pausedAt: null };
  return {
    enabled: row.enabled,
    url: row.url,
    // An event a later version stopped supporting is dropped rather than shown as subscribed.
    events: row.events.filter(isKnownEvent),
    sealedSecret: row.secret,
    pausedAt: row.pausedAt,
  };
}

export async function writeWebhookConfig(
  db: Db,
  shopId: string,
  config: StoredWebhookConfig,
  now: Date,
): Promise<void> {
  const values = {
    enabled: config.enabled,
    url: config.url,
    events: config.events,
    secret: config.sealedSecret,
    pausedAt: config.pausedAt,
    updatedAt: now,
  };
  await db
    .insert(webhookConfigs)
    .values({ shopId, ...values })
    .onConflictDoUpdate({ target: webhookConfigs.shopId, set: values });
}
