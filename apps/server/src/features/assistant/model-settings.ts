/**
 * Which model a shop's replies use. The operator's PARLEY_LLM_* is the default; a shop may set its
 * own base URL, model and API key (`configure_ai`), each falling back on its own. One rule keeps
 * keys where they belong: the operator's API key is never sent to a base URL the shop chose.
 */
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo } from '../../lib/secret-box.ts';
import { aiSettings } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import type { LlmTarget } from '../../lib/llm/index.ts';

type AiSettingsRow = typeof aiSettings.$inferSelect;

/** The shop's own settings, key opened; all undefined when it has none. */
export interface ShopModelSettings {
  baseUrl: string | undefined;
  model: string | undefined;
  apiKey: string | undefined;
}

const SERVER_VARIABLES = ['PARLEY_LLM_BASE_URL', 'PARLEY_LLM_API_KEY', 'PARLEY_LLM_MODEL'] as const;

export async function readAiSettingsRow(
  deps: Pick<AppDeps, 'db'>,
  shopId: string,
): Promise<AiSettingsRow | undefined> {
  const [row] = await deps.db.select().from(aiSettings).where(eq(aiSettings.shopId, shopId));
  return row;
}

export const openShopSettings = (
  deps: Pick<AppDeps, 'secrets'>,
  row: AiSettingsRow | undefined,
): ShopModelSettings => ({
  baseUrl: row?.baseUrl ?? undefined,
  model: row?.model ?? undefined,
  apiKey:
    row?.apiKey == null
      ? undefined
      : deps.secrets.open(row.apiKey, boundTo(row.shopId, 'ai_settings.api_key')),
});

/** The target a reply would use, or the names of what is missing. */
export function chooseTarget(
  config: AppDeps['config'],
  shop: ShopModelSettings,
): { ok: true; target: LlmTarget } | { ok: false; missing: string[] } {
  const own = shop.baseUrl !== undefined;
  const baseUrl = shop.baseUrl ?? config.PARLEY_LLM_BASE_URL;
  const model = shop.model ?? config.PARLEY_LLM_MODEL;
  const missing: string[] = [];
  if (baseUrl === undefined) missing.push('PARLEY_LLM_BASE_URL');
  if (model === undefined) missing.push('PARLEY_LLM_MODEL');
  if (baseUrl === undefined || model === undefined) return { ok: false, missing };
  return {
    ok: true,
    target: {
      origin: own ? 'shop' : 'server',
      baseUrl,
      model,
      apiKey: shop.apiKey ?? (own ? undefined : config.PARLEY_LLM_API_KEY),
    },
  };
}

export function aiNotConfigured(missing: readonly string[]): AppError {
  return new AppError(
    'AI_NOT_CONFIGURED',
    `The AI assistant is not configured (missing ${missing.join(' and ')}). The operator sets ` +
      `${SERVER_VARIABLES.join(', ')} (any OpenAI-compatible Chat Completions API) and restarts the server, ` +
      'or the shop configures its own model with the MCP tool configure_ai.',
    503,
    { missing },
  );
}

/** The model target of a shop's replies; 503 AI_NOT_CONFIGURED naming the variables when there is none. */
export async function resolveModelTarget(deps: Pick<AppDeps, 'db' | 'secrets' | 'config'>, shopId: string) {
  const choice = chooseTarget(deps.config, openShopSettings(deps, await readAiSettingsRow(deps, shopId)));
  if (!choice.ok) throw aiNotConfigured(choice.missing);
  return choice.target;
}
