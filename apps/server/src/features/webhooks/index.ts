export { recordWebhookEvent, type WebhookEventInput } from './record-event.ts';
export type { WebhookEventName } from './event-body.ts';
export { createWebhookJobSources, type WebhookJobOptions } from './jobs.ts';
export { DELIVERY_LEASE_MS } from './delivery-store.ts';
export { webhookTools } from './tools.ts';
export { getWebhookConfig } from './config-service.ts';
