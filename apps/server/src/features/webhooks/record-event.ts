/**
 * The entry point for features that emit events: the event row and its delivery job are written in
 * the caller's transaction, so they exist exactly when what caused them does (SPEC §6, at-least-once).
 */
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import type { Tx } from '../../db/database.ts';
import { webhookConfigs, webhookDeliveries, webhookEvents } from '../../db/schema.ts';
import { notifyWorkers } from '../../worker/index.ts';
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
 */
export async function recordWebhookEvent(
  tx: Tx,
  deps: Pick<AppDeps, 'clock'>,
  input: WebhookEventInput,
): Promise<{ eventId: string } | null> {
  const [config] = await tx
    .select({ enabled: webhookConfigs.enabled, url: webhookConfigs.url, events: webhookConfigs.events })
    .from(webhookConfigs)
    .where(eq(webhookConfigs.shopId, input.shopId));
  if (config === undefined || !config.enabled || config.url === null) return null;
  if (!config.events.includes(input.event)) return null;

  const event = serializeEvent(input.event, input.data, deps.clock.now());
  await tx.insert(webhookEvents).values({
    id: event.id,
    shopId: input.shopId,
    event: event.event,
    body: event.body,
    createdAt: event.createdAt,
  });
  await tx.insert(webhookDeliveries).values({
    eventId: event.id,
    shopId: input.shopId,
    status: 'queued',
    dueAt: event.createdAt,
  });
  await notifyWorkers(tx);
  return { eventId: event.id };
}
