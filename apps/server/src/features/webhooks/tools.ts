/**
 * The webhook tools (docs/webhooks.md#the-mcp-tools), thin adapters over the config and delivery services.
 */
import {
  configureWebhooksInput,
  listWebhookDeliveriesInput,
  recoverWebhooksInput,
  redeliverWebhookInput,
  testWebhookInput,
} from '@parley/contract';
import { z } from 'zod';
import { defineTool, type Tool } from '../tool.ts';
import { getWebhookConfig, planWebhookUpdate, updateWebhookConfig } from './config-service.ts';
import {
  listWebhookDeliveries,
  recoverWebhooks,
  redeliverWebhook,
  testWebhook,
} from './deliveries-service.ts';

const getWebhookConfigTool = defineTool({
  kind: 'plain',
  name: 'get_webhook_config',
  title: 'Get the webhook configuration',
  description:
    "Reads this shop's webhook: whether it is enabled, its URL, the subscribed events, whether a secret is set " +
    '(the secret itself is never shown), the timeout, and delivery health: state (active, paused, disabled), why ' +
    'and until when it is paused, last success, last failure, and how many events wait to be delivered. Read-only.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({}),
  run: (_args, { deps, shopId }) => getWebhookConfig(deps, shopId),
});

const configureWebhooksTool = defineTool({
  kind: 'confirmed',
  name: 'configure_webhooks',
  title: 'Configure the webhook',
  description:
    "Changes this shop's one webhook: enables or disables it, sets its URL, secret, subscribed events and " +
    'timeout. Omitted fields keep their value; webhook_events replaces the whole list. Side effects: once enabled, ' +
    'Parley POSTs the subscribed events to the URL; configuring a paused webhook resumes it and sends the events ' +
    'stored meanwhile. The URL must pass the outbound policy. Without "confirm": true it only previews the change.',
  // Overwrites the stored settings (destructive), the same arguments give the same result
  // (idempotent); the call itself contacts nothing but DNS, test_webhook is the tool that sends.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: configureWebhooksInput,
  async plan(args, { deps, shopId }) {
    const planned = await planWebhookUpdate(deps, shopId, args);
    const { current, change } = planned;
    return {
      summary: change.summary,
      consequence: change.consequence,
      before: change.before,
      after: change.after,
      hidden: current.sealedSecret,
      commit: async () => ({ status: 'applied', webhook: await updateWebhookConfig(deps, shopId, planned) }),
    };
  },
});

const testWebhookTool = defineTool({
  kind: 'plain',
  name: 'test_webhook',
  title: 'Send a test event',
  description:
    'Sends a signed `test` event now to webhook_url (default: the stored URL), signed with webhook_secret (default: ' +
    'the stored secret), exactly as deliveries are sent, and reports {delivered, http_status, latency_ms, ' +
    'response_excerpt, request_headers}. The signature headers are shown; the secret never is. Side effects: one ' +
    'HTTP POST to the receiver; nothing is stored and the webhook state does not change. Waits at most 60 s.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: testWebhookInput,
  run: (args, { deps, shopId }) => testWebhook(deps, shopId, args),
});

const listWebhookDeliveriesTool = defineTool({
  kind: 'plain',
  name: 'list_webhook_deliveries',
  title: 'List webhook deliveries',
  description:
    'Lists the events recorded for the webhook, newest first, each with its delivery status (pending, delivering, ' +
    'failed = will retry, delivered, exhausted = 10 attempts failed), payload and every attempt (HTTP status, ' +
    'latency, error class and code, first 4 KB of the answer). Filters: status, event, since; pages with limit and ' +
    'next_cursor. Read-only.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: listWebhookDeliveriesInput,
  run: (args, { deps, shopId }) => listWebhookDeliveries(deps, shopId, args),
});

const redeliverWebhookTool = defineTool({
  kind: 'plain',
  name: 'redeliver_webhook',
  title: 'Redeliver one event now',
  description:
    'Sends one recorded event (event_id from list_webhook_deliveries) again now, with the same id and body bytes, ' +
    'whatever its status, and reports the result. Side effects: one HTTP POST to the receiver, recorded as a new ' +
    'attempt; if it fails the event is retried on a fresh schedule; a success resumes a paused webhook. Waits at most 60 s.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: redeliverWebhookInput,
  run: (args, { deps, shopId }) => redeliverWebhook(deps, shopId, args),
});

const recoverWebhooksTool = defineTool({
  kind: 'plain',
  name: 'recover_webhooks',
  title: 'Re-send failed deliveries',
  description:
    'Re-sends every event whose last delivery attempt failed at or after `since` (both `failed`, waiting for a ' +
    'retry, and `exhausted`), and says how many. Side effects: those deliveries are queued now with a fresh ' +
    'schedule of 10 attempts and the background worker POSTs them to the receiver; a paused webhook holds them ' +
    'until it resumes.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: recoverWebhooksInput,
  run: (args, { deps, shopId }) => recoverWebhooks(deps, shopId, args),
});

export const webhookTools: Tool[] = [
  getWebhookConfigTool,
  configureWebhooksTool,
  testWebhookTool,
  listWebhookDeliveriesTool,
  redeliverWebhookTool,
  recoverWebhooksTool,
];
