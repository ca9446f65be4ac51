/** The webhook configuration tools of SPEC §3, thin adapters over the config service. */
import { configureWebhooksInput } from '@parley/contract';
import { z } from 'zod';
import { defineTool, type Tool } from '../../mcp/tool.ts';
import { getWebhookConfig, planWebhookUpdate, updateWebhookConfig } from './config-service.ts';

const getWebhookConfigTool = defineTool({
  kind: 'plain',
  name: 'get_webhook_config',
  title: 'Get the webhook configuration',
  description:
    "Reads this shop's webhook: whether it is enabled, its URL, the subscribed events, whether a secret is set " +
    '(the secret itself is never shown) and delivery health. Changes nothing.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({}),
  run: (_args, { deps, shopId }) => getWebhookConfig(deps, shopId),
});

const configureWebhooksTool = defineTool({
  kind: 'confirmed',
  name: 'configure_webhooks',
  title: 'Configure the webhook',
  description:
    "Changes this shop's one webhook: enables or disables it, sets its URL, secret and subscribed events. " +
    'Omitted fields keep their value; webhook_events replaces the whole list. Side effects: once enabled, Parley ' +
    'POSTs the subscribed events to the URL; configuring a paused webhook resumes it. The URL must pass the ' +
    'outbound policy. Without "confirm": true it only previews the change.',
  // Overwrites the stored settings (destructive), the same arguments give the same result
  // (idempotent); the call itself contacts nothing but DNS, test_webhook is the tool that sends.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: configureWebhooksInput,
  async preview(args, { deps, shopId }) {
    const { current, change } = await planWebhookUpdate(deps, shopId, args);
    return {
      summary: change.summary,
      consequence: change.consequence,
      before: change.before,
      after: change.after,
      hidden: current.sealedSecret,
    };
  },
  apply: async (args, { deps, shopId }) => ({
    status: 'applied',
    webhook: await updateWebhookConfig(deps, shopId, args),
  }),
});

export const webhookTools: Tool[] = [getWebhookConfigTool, configureWebhooksTool];
