/**
 * The entry point for features that emit events: the event row and its delivery job are written in
 * the caller's transaction, so they exist exactly when what caused them does (at least once:
 * docs/webhooks.md#delivery-success-retries-pauses).
 */
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { queryRows, type Tx } from '../../db/database.ts';
import { webhookConfigs, webhookDeliveries, webhookEvents } from '../../db/schema.ts';
import { WAKE_CHANNEL } from '../../db/wake.ts';
import { serializeEvent, type WebhookEventName } from './event-body.ts';

export interface WebhookEventInput {
  shopId: string;
  event: WebhookEventName;
  data: Record<string, unknown>;
}

/**
 * Records `event` for delivery, or returns null and writes nothing when the shop's webhook is
 * disabled, has no URL or does not subscribe to it. A paused webhook still records (it sends
 * what it missed once it resumes). The worker is woken when the caller's transaction commits.
 *
 * One statement: the subscription check, the event, its delivery job and the wake-up. Intake runs
 * this for every detected phone, and on PGlite each statement costs the request's thread ~0.5 ms.
 */
export async function recordWebhookEvent(
  tx: Tx,
  deps: Pick<AppDeps, 'clock'>,
  input: WebhookEventInput,
): Promise<{ eventId: string } | null> {
  const event = serializeEvent(input.event, input.data, deps.clock.now());
  const [recorded] = await queryRows<{ event_id: string }>(
    tx,
    sql`
    WITH subscribed AS (
      SELECT ${webhookConfigs.shopId} AS shop_id FROM ${webhookConfigs}
      WHERE ${webhookConfigs.shopId} = ${input.shopId} AND ${webhookConfigs.enabled}
        AND ${webhookConfigs.url} IS NOT NULL AND ${webhookConfigs.events} @> jsonb_build_array(${input.event}::text)
    ), recorded AS (
      INSERT INTO ${webhookEvents} (id, shop_id, event, body, created_at)
      SELECT ${event.id}, shop_id, ${event.event}, ${event.body}, ${event.createdAt.toISOString()}::timestamptz
      FROM subscribed
      RETURNING id, shop_id, created_at
    ), queued AS (
      INSERT INTO ${webhookDeliveries} (event_id, shop_id, status, due_at, created_at)
      SELECT id, shop_id, 'queued', created_at, created_at FROM recorded
      RETURNING event_id
    )
    SELECT event_id, pg_notify(${WAKE_CHANNEL}, '') FROM queued`,
  );
  return recorded === undefined ? null : { eventId: recorded.event_id };
}
