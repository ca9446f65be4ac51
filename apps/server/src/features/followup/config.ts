/**
 * `get_smart_followup_config` and `save_smart_followup_config`: the settings with what they lead to
 * (the next run, the last one), and warnings for each reason the feature would quietly find or send
 * nothing, so an integrator sees it the day they turn it on rather than a week later.
 */
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { SaveSmartFollowupConfigInput, SmartFollowupSettings } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { conversationChats, followupRuns } from '../../db/schema.ts';
import { isAppError } from '../../lib/errors.ts';
import { resolveModelTarget } from '../assistant/index.ts';
import { listCrmEndpoints } from '../crm/index.ts';
import { getShop } from '../shops/index.ts';
import { getWebhookConfig } from '../webhooks/index.ts';
import { mergeSettings, nextScheduledRun, readFollowupSettings, writeFollowupSettings } from './settings.ts';

type Deps = Pick<AppDeps, 'db' | 'secrets' | 'config' | 'clock' | 'invalidation' | 'localWrites'>;
const HOUR_MS = 3_600_000;

/** The settings as the tools show them: `auto_send_enabled` is always false and says so. */
export const presentSettings = (settings: SmartFollowupSettings) => ({
  ...settings,
  auto_send_enabled: false,
});

const presentRun = (run: typeof followupRuns.$inferSelect) => ({
  id: run.id,
  trigger: run.trigger,
  status: run.status,
  started_at: run.startedAt.toISOString(),
  finished_at: run.finishedAt?.toISOString() ?? null,
  window_from: run.windowFrom.toISOString(),
  window_to: run.windowTo.toISOString(),
  stop_reason: run.stopReason,
});

async function warningsFor(deps: Deps, shopId: string, settings: SmartFollowupSettings): Promise<string[]> {
  const warnings: string[] = [];
  const since = new Date(deps.clock.now().getTime() - settings.lookback_hours * HOUR_MS);
  const [recent] = await deps.db
    .select({ chats: sql<number>`count(*)`.mapWith(Number) })
    .from(conversationChats)
    .where(and(eq(conversationChats.shopId, shopId), gte(conversationChats.lastMessageAt, since)));
  if (settings.enabled && (recent?.chats ?? 0) === 0) {
    warnings.push(
      `Smart Follow-up is on, but no conversation arrived in the last ${settings.lookback_hours} h (lookback_hours). ` +
        'It only sees conversations sent to POST /api/conversations/messages: turn on "Report the visible messages ' +
        'of the open chat to Parley" in the extension\'s options (off by default), or send them from another channel.',
    );
  }
  try {
    await resolveModelTarget(deps, shopId);
  } catch (error) {
    if (!isAppError(error)) throw error;
    warnings.push(`No model to analyse conversations with: ${error.message}`);
  }
  const { endpoints } = await listCrmEndpoints(deps, shopId);
  const types = new Set(endpoints.map((endpoint) => endpoint.type));
  if (!types.has('verify_conversion') && !types.has('sidePanel_CustomerInfo')) {
    warnings.push(
      'No verify_conversion (or sidePanel_CustomerInfo) endpoint is configured, so Parley cannot check whether a ' +
        'customer bought, and skips every conversation as crm_unavailable. Add one with update_crm_endpoints.',
    );
  }
  const webhook = await getWebhookConfig(deps, shopId);
  const webhookTakesIt = webhook.webhook_enabled && webhook.webhook_events.includes('followup.detected');
  if (!settings.agent_queue && !webhookTakesIt) {
    warnings.push(
      'agent_queue is false and the webhook does not subscribe to followup.detected: follow-ups reach nobody. ' +
        'Turn agent_queue on, or subscribe the webhook with configure_webhooks.',
    );
  }
  return warnings;
}

export async function getSmartFollowupConfig(deps: Deps, shopId: string) {
  const [shop, stored] = await Promise.all([getShop(deps.db, shopId), readFollowupSettings(deps.db, shopId)]);
  const [lastRun] = await deps.db
    .select()
    .from(followupRuns)
    .where(eq(followupRuns.shopId, shopId))
    .orderBy(desc(followupRuns.startedAt))
    .limit(1);
  return {
    settings: presentSettings(stored.settings),
    timezone: shop.timezone,
    next_run_at: stored.nextRunAt?.toISOString() ?? null,
    last_run: lastRun === undefined ? null : presentRun(lastRun),
    warnings: await warningsFor(deps, shopId, stored.settings),
  };
}

/** The change a save would make, validated; writes nothing. */
export async function planSettingsChange(deps: Deps, shopId: string, change: SaveSmartFollowupConfigInput) {
  const [shop, stored] = await Promise.all([getShop(deps.db, shopId), readFollowupSettings(deps.db, shopId)]);
  const after = mergeSettings(stored.settings, change);
  const nextRunAt = nextScheduledRun(after, shop.timezone, deps.clock.now());
  return { shop, before: stored.settings, after, nextRunAt };
}

/** Writes a planned change: the settings the plan worked out, not read again. */
export async function saveSmartFollowupConfig(
  deps: Deps,
  shopId: string,
  { shop, after }: Awaited<ReturnType<typeof planSettingsChange>>,
) {
  const nextRunAt = await writeFollowupSettings(deps, shop, after);
  return {
    saved: true,
    settings: presentSettings(after),
    next_run_at: nextRunAt?.toISOString() ?? null,
    warnings: await warningsFor(deps, shopId, after),
  };
}
