/**
 * A shop's Smart Follow-up settings: the contract's defaults until the shop saves its own, a partial
 * update merged over what is stored, and the next scheduled run kept beside them so the worker finds
 * due shops through one index.
 */
import { eq } from 'drizzle-orm';
import {
  defaultSmartFollowupSettings,
  sendingWindowProblem,
  type SaveSmartFollowupConfigInput,
  type SmartFollowupSettings,
} from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import type { Db, Tx } from '../../db/database.ts';
import { followupSettings } from '../../db/schema.ts';
import { badRequest } from '../../lib/errors.ts';
import { nextRunAfter } from './schedule.ts';

export interface StoredFollowupSettings {
  settings: SmartFollowupSettings;
  nextRunAt: Date | null;
  saved: boolean;
}

export async function readFollowupSettings(db: Db | Tx, shopId: string): Promise<StoredFollowupSettings> {
  const [row] = await db.select().from(followupSettings).where(eq(followupSettings.shopId, shopId));
  if (row === undefined) return { settings: defaultSmartFollowupSettings, nextRunAt: null, saved: false };
  // Settings saved by an older release lack the newer keys: the defaults fill them.
  return {
    settings: { ...defaultSmartFollowupSettings, ...row.settings },
    nextRunAt: row.nextRunAt,
    saved: true,
  };
}

/** The settings after `change`; a 400 naming both fields when the sending window would be half set or empty. */
export function mergeSettings(current: SmartFollowupSettings, change: SaveSmartFollowupConfigInput) {
  const { auto_send_enabled: _alwaysOff, ...fields } = change;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  if (Object.keys(defined).length === 0 && _alwaysOff === undefined) {
    throw badRequest(
      'Nothing to change: pass at least one setting (see get_smart_followup_config for the list).',
    );
  }
  const merged: SmartFollowupSettings = { ...current, ...defined };
  merged.run_days = [...merged.run_days].sort((a, b) => a - b);
  const problem = sendingWindowProblem(merged);
  if (problem !== null) throw badRequest(problem);
  return merged;
}

/** When the next scheduled run falls due: none while disabled. */
export const nextScheduledRun = (
  settings: SmartFollowupSettings,
  timeZone: string,
  now: Date,
): Date | null => (settings.enabled ? nextRunAfter(settings, timeZone, now) : null);

export async function writeFollowupSettings(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  shop: { id: string; timezone: string },
  settings: SmartFollowupSettings,
): Promise<Date | null> {
  const now = deps.clock.now();
  const nextRunAt = nextScheduledRun(settings, shop.timezone, now);
  await deps.db
    .insert(followupSettings)
    .values({ shopId: shop.id, settings, nextRunAt, updatedAt: now })
    .onConflictDoUpdate({ target: followupSettings.shopId, set: { settings, nextRunAt, updatedAt: now } });
  return nextRunAt;
}
