/** Reading and changing a shop's webhook; the MCP tools and any later HTTP route call these. */
import type { ConfigureWebhooksInput, WebhookConfigView } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { AppError, isAppError } from '../../lib/errors.ts';
import { planWebhookChange, deliveryState, type WebhookChange } from './config-change.ts';
import { readWebhookConfig, writeWebhookConfig, type StoredWebhookConfig } from './config-store.ts';

type Deps = Pick<AppDeps, 'db' | 'secrets' | 'outbound' | 'clock'>;

export function presentWebhookConfig(config: StoredWebhookConfig): WebhookConfigView {
  return {
    webhook_enabled: config.enabled,
    webhook_url: config.url,
    webhook_events: config.events,
    has_secret: config.sealedSecret !== null,
    // Delivery history arrives with the delivery engine; until then nothing has been sent.
    delivery: { state: deliveryState(config), last_success_at: null, last_failure_at: null, pending: 0 },
  };
}

export async function getWebhookConfig(deps: Pick<Deps, 'db'>, shopId: string): Promise<WebhookConfigView> {
  return presentWebhookConfig(await readWebhookConfig(deps.db, shopId));
}

/** The change `input` would make, validated (URL policy included) but not applied. */
export async function planWebhookUpdate(
  deps: Deps,
  shopId: string,
  input: ConfigureWebhooksInput,
): Promise<{ current: StoredWebhookConfig; change: WebhookChange }> {
  const current = await readWebhookConfig(deps.db, shopId);
  const change = planWebhookChange(current, input);
  // A stored URL is checked again when enabling: the allow-list may have changed since.
  if (change.url !== null && (input.webhook_url !== undefined || change.enabled)) {
    await checkWebhookUrl(deps, change.url);
  }
  return { current, change };
}

export async function updateWebhookConfig(
  deps: Deps,
  shopId: string,
  input: ConfigureWebhooksInput,
): Promise<WebhookConfigView> {
  const { current, change } = await planWebhookUpdate(deps, shopId, input);
  const next: StoredWebhookConfig = {
    enabled: change.enabled,
    url: change.url,
    events: change.events,
    sealedSecret:
      change.secret.kind === 'set'
        ? deps.secrets.seal(change.secret.secret)
        : change.secret.kind === 'remove'
          ? null
          : current.sealedSecret,
    pausedAt: null,
  };
  await writeWebhookConfig(deps.db, shopId, next, deps.clock.now());
  return presentWebhookConfig(next);
}

async function checkWebhookUrl(deps: Pick<Deps, 'outbound'>, url: string): Promise<void> {
  try {
    await deps.outbound.checkUrl(url);
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError(error.code, `webhook_url is refused: ${error.message}`, error.status, error.details);
  }
}
