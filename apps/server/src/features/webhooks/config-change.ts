/**
 * Pure: what configure_webhooks would turn the stored webhook into, and how to describe it.
 * Partial update (docs/webhooks.md#the-mcp-tools): omitted fields keep their value, `webhook_events` replaces
 * the list. The secret appears only as `has_secret` and "(changed)"/"(removed)", never in clear.
 */
import {
  webhookEventTypes,
  type ConfigureWebhooksInput,
  type WebhookDeliveryState,
  type WebhookEventType,
  type WebhookPauseReason,
} from '@parley/contract';
import { isValidSecret } from '@parley/webhooks';
import { badRequest } from '../../lib/errors.ts';
import type { StoredWebhookConfig } from './config-store.ts';

/** The webhook as previews show it. */
export interface WebhookSettings {
  webhook_enabled: boolean;
  webhook_url: string | null;
  webhook_events: WebhookEventType[];
  has_secret: boolean;
  webhook_timeout_ms: number;
  state: WebhookDeliveryState;
}

export type SecretChange = { kind: 'keep' } | { kind: 'set'; secret: string } | { kind: 'remove' };

export interface WebhookChange {
  before: WebhookSettings;
  after: WebhookSettings & { webhook_secret?: '(changed)' | '(removed)' };
  enabled: boolean;
  url: string | null;
  events: WebhookEventType[];
  secret: SecretChange;
  timeoutMs: number;
  summary: string;
  consequence: string;
}

export const deliveryState = (
  config: Pick<StoredWebhookConfig, 'enabled' | 'pausedAt'>,
): WebhookDeliveryState => (!config.enabled ? 'disabled' : config.pausedAt !== null ? 'paused' : 'active');

const settingsOf = (config: StoredWebhookConfig): WebhookSettings => ({
  webhook_enabled: config.enabled,
  webhook_url: config.url,
  webhook_events: config.events,
  has_secret: config.sealedSecret !== null,
  webhook_timeout_ms: config.timeoutMs,
  state: deliveryState(config),
});

/** Both signature schemes must be able to sign with the secret (a `whsec_` prefix means base64). */
export function requireSigningSecret(secret: string): void {
  if (!isValidSecret(secret)) {
    throw badRequest(
      'webhook_secret starts with whsec_ but what follows is not padded base64 (Standard Webhooks secrets are whsec_ plus the base64 of the key); pass such a secret, or one without the whsec_ prefix.',
    );
  }
}

const secretChangeOf = (input: ConfigureWebhooksInput, hasSecret: boolean): SecretChange => {
  if (typeof input.webhook_secret === 'string') return { kind: 'set', secret: input.webhook_secret };
  if (input.webhook_secret === null && hasSecret) return { kind: 'remove' };
  return { kind: 'keep' };
};

export function planWebhookChange(
  current: StoredWebhookConfig,
  input: ConfigureWebhooksInput,
): WebhookChange {
  const before = settingsOf(current);
  const enabled = input.webhook_enabled;
  const url = input.webhook_url ?? current.url;
  const events = input.webhook_events === undefined ? current.events : [...new Set(input.webhook_events)];
  const secret = secretChangeOf(input, before.has_secret);
  const timeoutMs = input.webhook_timeout_ms ?? current.timeoutMs;

  if (enabled && url === null) {
    throw badRequest(
      'webhook_url is required to enable the webhook: pass the https URL that should receive the events.',
    );
  }
  if (enabled && events.length === 0) {
    throw badRequest(
      `webhook_events is empty: an enabled webhook needs at least one event (valid events: ${webhookEventTypes.join(', ')}).`,
    );
  }
  // Refused now rather than at the first delivery, which could not be signed.
  if (secret.kind === 'set') requireSigningSecret(secret.secret);

  const hasSecret = secret.kind === 'set' || (secret.kind === 'keep' && before.has_secret);
  // Configuring the webhook again is how a user resumes one that was paused.
  const after: WebhookChange['after'] = {
    webhook_enabled: enabled,
    webhook_url: url,
    webhook_events: events,
    has_secret: hasSecret,
    webhook_timeout_ms: timeoutMs,
    state: enabled ? 'active' : 'disabled',
  };
  if (secret.kind === 'set') after.webhook_secret = '(changed)';
  if (secret.kind === 'remove') after.webhook_secret = '(removed)';

  return {
    before,
    after,
    enabled,
    url,
    events,
    secret,
    timeoutMs,
    summary: describe(before, after, secret, current.pauseReason),
    consequence: consequenceOf(after),
  };
}

const pauseCauses: Record<WebhookPauseReason, string> = {
  gone: 'the receiver answered 410 Gone',
  failing: 'deliveries failed for 5 days',
};

function describe(
  before: WebhookSettings,
  after: WebhookSettings,
  secret: SecretChange,
  pauseReason: WebhookPauseReason | null,
): string {
  const parts: string[] = [];
  if (before.webhook_enabled !== after.webhook_enabled) {
    parts.push(after.webhook_enabled ? 'enable the webhook' : 'disable the webhook');
  }
  if (before.webhook_url !== after.webhook_url) {
    parts.push(`webhook_url ${before.webhook_url ?? '(none)'} → ${after.webhook_url ?? '(none)'}`);
  }
  if (before.webhook_events.join() !== after.webhook_events.join()) {
    parts.push(`webhook_events [${before.webhook_events.join(', ')}] → [${after.webhook_events.join(', ')}]`);
  }
  if (secret.kind === 'set') parts.push(before.has_secret ? 'replace the secret' : 'set a secret');
  if (secret.kind === 'remove') parts.push('remove the secret (events will be sent unsigned)');
  if (before.webhook_timeout_ms !== after.webhook_timeout_ms) {
    parts.push(`webhook_timeout_ms ${before.webhook_timeout_ms} → ${after.webhook_timeout_ms}`);
  }
  if (before.state === 'paused' && after.state === 'active') {
    const cause = pauseReason === null ? '' : ` (paused after ${pauseCauses[pauseReason]})`;
    parts.push(`resume delivery${cause}; the events stored meanwhile are sent`);
  }
  return parts.length > 0
    ? parts.join('; ')
    : 'nothing changes (the webhook is already configured like this)';
}

function consequenceOf(after: WebhookSettings): string {
  if (!after.webhook_enabled) return 'Parley will send no webhook events until the webhook is enabled again.';
  const signing = after.has_secret
    ? 'signed with the secret (X-WAzion-Signature and webhook-signature headers)'
    : 'unsigned, because no secret is set';
  return `Parley will POST ${after.webhook_events.join(', ')} events to ${after.webhook_url ?? ''}, ${signing}.`;
}
