/**
 * `configure_ai` and `get_ai_config`: a shop's own model settings, previewed and applied by the
 * same planning code. The API key is stored sealed and never shown, only whether one is set.
 */
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo } from '../../lib/secret-box.ts';
import { aiSettings } from '../../db/schema.ts';
import { badRequest } from '../../lib/errors.ts';
import type { ChangePlan, ChangePreview } from '../tool.ts';
import {
  chooseTarget,
  openShopSettings,
  readAiSettingsRow,
  type ShopModelSettings,
} from './model-settings.ts';

/** Per field: a value sets it, null removes the shop's own value (back to the server's), absent keeps it. */
export interface AiSettingsChange {
  base_url?: string | null | undefined;
  model?: string | null | undefined;
  api_key?: string | null | undefined;
}

type Deps = Pick<AppDeps, 'db' | 'secrets' | 'config' | 'outbound' | 'clock'>;

function presentSettings(config: AppDeps['config'], shop: ShopModelSettings) {
  const choice = chooseTarget(config, shop);
  return {
    shop_settings: {
      base_url: shop.baseUrl ?? null,
      model: shop.model ?? null,
      has_api_key: shop.apiKey !== undefined,
    },
    // The server's own URL and key stay the operator's business: only where the settings come from shows.
    effective: choice.ok
      ? {
          configured: true,
          base_url:
            choice.target.origin === 'shop' ? choice.target.baseUrl : 'server default (PARLEY_LLM_BASE_URL)',
          model: choice.target.model,
          sends_api_key: choice.target.apiKey !== undefined,
        }
      : { configured: false, missing: choice.missing },
  };
}

const merge = <T>(current: T | undefined, change: T | null | undefined) =>
  change === undefined ? current : (change ?? undefined);

export async function getAiConfig(deps: Pick<AppDeps, 'db' | 'secrets' | 'config'>, shopId: string) {
  return presentSettings(deps.config, openShopSettings(deps, await readAiSettingsRow(deps, shopId)));
}

async function planChange(deps: Deps, shopId: string, change: AiSettingsChange) {
  if (change.base_url === undefined && change.model === undefined && change.api_key === undefined) {
    throw badRequest(
      "Nothing to change: pass base_url, model or api_key (null removes the shop's own value).",
    );
  }
  if (typeof change.base_url === 'string') await deps.outbound.checkUrl(change.base_url);
  const row = await readAiSettingsRow(deps, shopId);
  const current = openShopSettings(deps, row);
  const next: ShopModelSettings = {
    baseUrl: merge(current.baseUrl, change.base_url),
    model: merge(current.model, change.model),
    apiKey: merge(current.apiKey, change.api_key),
  };
  return { row, current, next };
}

type Plan = Awaited<ReturnType<typeof planChange>>;

function describeChange(config: AppDeps['config'], change: AiSettingsChange, plan: Plan): ChangePreview {
  const { row, current, next } = plan;
  const parts: string[] = [];
  if (change.base_url !== undefined) parts.push(`base_url → ${next.baseUrl ?? 'server default'}`);
  if (change.model !== undefined) parts.push(`model → ${next.model ?? 'server default'}`);
  if (change.api_key !== undefined)
    parts.push(change.api_key === null ? 'remove the API key' : 'set a new API key');
  const after = presentSettings(config, next);
  const consequence = after.effective.configured
    ? `AI reply suggestions use ${next.baseUrl ?? 'the server default model API'} with model ${after.effective.model} from the next reply on.`
    : `AI reply suggestions stop working (missing ${after.effective.missing?.join(', ')}) until the settings are completed.`;
  const keyNote =
    next.baseUrl !== undefined && next.apiKey === undefined
      ? " No API key will be sent to the shop's base URL (the server's key is never sent there)."
      : '';
  return {
    summary: `change this shop's AI model settings: ${parts.join('; ')}`,
    consequence: consequence + keyNote,
    before: presentSettings(config, current),
    after,
    // Redacted keys all look alike: the sealed one reveals a key replaced after the preview.
    hidden: row?.apiKey ?? null,
  };
}

/** Validates and plans the change; `commit` writes the settings the plan worked out. */
export async function planAiSettingsChange(
  deps: Deps,
  shopId: string,
  change: AiSettingsChange,
): Promise<ChangePlan> {
  const plan = await planChange(deps, shopId, change);
  const preview = describeChange(deps.config, change, plan);
  return { ...preview, commit: () => writeAiSettings(deps, shopId, plan.next, preview.summary) };
}

async function writeAiSettings(deps: Deps, shopId: string, next: ShopModelSettings, summary: string) {
  if (next.baseUrl === undefined && next.model === undefined && next.apiKey === undefined) {
    await deps.db.delete(aiSettings).where(eq(aiSettings.shopId, shopId));
  } else {
    const values = {
      baseUrl: next.baseUrl ?? null,
      model: next.model ?? null,
      apiKey:
        next.apiKey === undefined
          ? null
          : deps.secrets.seal(next.apiKey, boundTo(shopId, 'ai_settings.api_key')),
      updatedAt: deps.clock.now(),
    };
    await deps.db
      .insert(aiSettings)
      .values({ shopId, ...values })
      .onConflictDoUpdate({ target: aiSettings.shopId, set: values });
  }
  return { status: 'applied', summary, ...(await getAiConfig(deps, shopId)) };
}
