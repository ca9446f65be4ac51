/** Reading and changing a shop's webhook; the MCP tools and any later HTTP route call these. */
import type { ConfigureWebhooksInput, WebhookConfigView } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo } from '../../lib/secret-box.ts';
import { AppError, isAppError } from '../../lib/errors.ts';
import { planWebhookChange, deliveryState, type WebhookChange } from './config-change.ts';
import {
  readWebhookConfig,
  readWebhookConfigAndPending,
  writeWebhookConfig,
  type StoredWebhookConfig,
} from './config-store.ts';

type Deps = Pick<AppDeps, 'db' | 'secrets' | 'outbound' | 'clock' | 'invalidation' | 'localWrites'>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function presentWebhookConfig(config: StoredWebhookConfig, pending: number): WebhookConfigView {
  return {
    webhook_enabled: config.enabled,
    webhook_url: config.url,
    webhook_events: config.events,
    has_secret: config.sealedSecret !== null,
    webhook_timeout_ms: config.timeoutMs,
    delivery: {
      state: deliveryState(config),
      pause_reason: config.pauseReason,
      next_probe_at: iso(config.nextProbeAt),
      last_success_at: iso(config.lastSuccessAt),
      last_failure_at: iso(config.lastFailureAt),
      failing_since: iso(config.failingSince),
      pending,
    },
  };
}

export async function getWebhookConfig(
  deps: Pick<Deps, 'db' | 'invalidation' | 'localWrites'>,
  shopId: string,
): Promise<WebhookConfigView> {
  const { config, pending } = await readWebhookConfigAndPending(deps, shopId);
  return presentWebhookConfig(config, pending);
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

/** Writes a planned update: the settings the plan worked out from the state it read. */
export async function updateWebhookConfig(
  deps: Deps,
  shopId: string,
  { current, change }: Awaited<ReturnType<typeof planWebhookUpdate>>,
): Promise<WebhookConfigView> {
  await writeWebhookConfig(
    deps.db,
    shopId,
    {
      enabled: change.enabled,
      url: change.url,
      events: change.events,
      sealedSecret:
        change.secret.kind === 'set'
          ? deps.secrets.seal(change.secret.secret, boundTo(shopId, 'webhook_configs.secret'))
          : change.secret.kind === 'remove'
            ? null
            : current.sealedSecret,
      timeoutMs: change.timeoutMs,
    },
    deps.clock.now(),
  );
  return getWebhookConfig(deps, shopId);
}

/** The outbound policy's verdict on a webhook URL, worded for the argument it came from. */
export async function checkWebhookUrl(deps: Pick<Deps, 'outbound'>, url: string): Promise<void> {
  try {
    await deps.outbound.checkUrl(url);
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError(error.code, `webhook_url is refused: ${error.message}`, error.status, error.details);
  }
}
