/** SQL of endpoint health: applying an attempt's result under the row lock, and claiming probes. */
import { and, asc, eq, inArray, isNotNull, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import { builtOnce, type StatementValues } from '../../db/built-once.ts';
import type { Db } from '../../db/database.ts';
import { webhookConfigs } from '../../db/schema.ts';
import { pickWithinLimits, saturatedKeys, type ClaimLimits } from '../../lib/jobs/index.ts';
import { notifyWorkers } from '../../db/wake.ts';
import { resumeDeliveries } from './delivery-store.ts';
import { healthAfterAttempt, PROBE_INTERVAL_MS, type WebhookHealth } from './health.ts';

const healthColumns = {
  pausedAt: webhookConfigs.pausedAt,
  pauseReason: webhookConfigs.pauseReason,
  nextProbeAt: webhookConfigs.nextProbeAt,
  failingSince: webhookConfigs.failingSince,
  lastSuccessAt: webhookConfigs.lastSuccessAt,
  lastFailureAt: webhookConfigs.lastFailureAt,
};

export interface HealthChange {
  before: WebhookHealth;
  after: WebhookHealth;
}

/** One attempt's result, for the health of the webhook it was sent to. */
export interface HealthResult {
  shopId: string;
  /** Where the attempt was sent. */
  url: string;
  delivered: boolean;
  gone: boolean;
  now: Date;
}

/** A webhook's health and where it sends, as the row holds them. */
export interface WebhookHealthRow {
  url: string | null;
  health: WebhookHealth;
}

/** What applying a batch's results to its webhooks' health does. */
export interface HealthPlan {
  /** One per result, in order: null when it changes nothing (its webhook now sends elsewhere, or is gone). */
  changes: (HealthChange | null)[];
  /** The webhooks whose health changed, with their health after the batch. */
  changed: [shopId: string, after: WebhookHealth][];
  /** Webhooks the batch resumed from a pause: what they missed is due at `at`. */
  resumed: { shopId: string; failingSince: Date | null; at: Date }[];
  /** The rows as the batch leaves them. */
  after: Map<string, WebhookHealthRow>;
}

/**
 * Applies results to the health of their webhooks as `rows` hold them (by shop), in order. A result
 * from a URL that was replaced meanwhile says nothing about the new one: it changes nothing.
 */
export function planHealth(
  rows: ReadonlyMap<string, WebhookHealthRow>,
  results: readonly HealthResult[],
): HealthPlan {
  const current = new Map([...rows].map(([shopId, { health }]) => [shopId, health]));
  const appliedAt = new Map<string, Date>();
  const changes = results.map((result) => {
    const before = current.get(result.shopId);
    if (before === undefined || rows.get(result.shopId)?.url !== result.url) return null;
    const after = healthAfterAttempt(before, result, result.now);
    current.set(result.shopId, after);
    appliedAt.set(result.shopId, result.now);
    return { before, after };
  });
  const changed = [...current].filter(([shopId, after]) => !sameHealth(rows.get(shopId)?.health, after));
  const resumed = changed.flatMap(([shopId, after]) => {
    const before = rows.get(shopId)?.health;
    const at = appliedAt.get(shopId);
    return before !== undefined && before.pausedAt !== null && after.pausedAt === null && at !== undefined
      ? [{ shopId, failingSince: before.failingSince, at }]
      : [];
  });
  const after = new Map(rows);
  for (const [shopId, health] of changed) after.set(shopId, { url: rows.get(shopId)?.url ?? null, health });
  return { changes, changed, resumed, after };
}

/**
 * Applies results to their webhooks' health, in order, under the rows' locks (taken in one
 * statement, in shop order, so two batches never wait on each other in a cycle). Only the webhooks
 * whose health changed are written, in one statement. A resume makes what the webhook missed due at
 * once and wakes the workers.
 */
export async function applyAttemptsToHealth(tx: Db, results: readonly HealthResult[]): Promise<HealthPlan> {
  const shopIds = [...new Set(results.map((result) => result.shopId))].sort();
  const locked = await tx
    .select({ shopId: webhookConfigs.shopId, url: webhookConfigs.url, ...healthColumns })
    .from(webhookConfigs)
    .where(inArray(webhookConfigs.shopId, shopIds))
    .orderBy(asc(webhookConfigs.shopId))
    .for('update');
  const rows = new Map(locked.map(({ shopId, url, ...health }) => [shopId, { url, health }]));
  const plan = planHealth(rows, results);
  if (plan.changed.length > 0) await tx.execute(writeHealthAlone(healthValues('changed', plan.changed)));
  for (const { shopId, failingSince, at } of plan.resumed) {
    await resumeDeliveries(tx, shopId, failingSince, at);
    await notifyWorkers(tx);
  }
  return plan;
}

const healthFields = Object.keys(healthColumns) as (keyof WebhookHealth)[];

function sameHealth(a: WebhookHealth | undefined, b: WebhookHealth): boolean {
  if (a === undefined) return false;
  return healthFields.every((field) => {
    const x = a[field];
    const y = b[field];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}

/** The health columns' names in SQL, in `healthFields`' order. */
const HEALTH_COLUMNS = Object.values(healthColumns).map((column) => column.name);

/**
 * Health rows as one unnest of (shop_id, the six health columns), for a FROM; its arrays are the
 * placeholders `<set>.shopId`, `<set>.pausedAt`… that `healthValues(set, rows)` binds.
 */
function healthUnnest(set: string): SQL {
  const arrays = healthFields.map(
    (field) =>
      sql`${sql.placeholder(`${set}.${field}`)}::${sql.raw(field === 'pauseReason' ? 'text' : 'timestamptz')}[]`,
  );
  return sql`unnest(${sql.placeholder(`${set}.shopId`)}::text[], ${sql.join(arrays, sql`, `)})
    AS h(shop_id, ${sql.raw(HEALTH_COLUMNS.join(', '))})`;
}

/** The values of `healthUnnest(set)` for `rows`. */
export function healthValues(
  set: string,
  rows: readonly (readonly [string, WebhookHealth])[],
): StatementValues {
  const column = (field: keyof WebhookHealth) =>
    rows.map(([, health]) => {
      const value = health[field];
      return value instanceof Date ? value.toISOString() : value;
    });
  return {
    [`${set}.shopId`]: rows.map(([shopId]) => shopId),
    ...Object.fromEntries(healthFields.map((field) => [`${set}.${field}`, column(field)])),
  };
}

/**
 * Writes the health of the rows `healthValues('changed', rows)` binds; with `guard`, only if it holds
 * (a boolean expression of the statement).
 */
export const writeHealth = (guard: SQL = sql`true`): SQL => sql`
  UPDATE ${webhookConfigs} AS c SET
    ${sql.raw(HEALTH_COLUMNS.map((column) => `${column} = h.${column}`).join(', '))}
  FROM ${healthUnnest('changed')}
  WHERE c.shop_id = h.shop_id AND ${guard}`;

const writeHealthAlone = builtOnce(writeHealth());

/**
 * Locks the webhooks whose URL and health still are what `knownValues(rows)` says, in shop order, and
 * returns their shop ids: a SELECT for a CTE. Rows changed meanwhile by anyone are left out.
 */
export const lockHealthAsKnown = sql`
  SELECT c.shop_id FROM ${webhookConfigs} AS c
  JOIN ${healthUnnest('known')} ON h.shop_id = c.shop_id
  JOIN unnest(${sql.placeholder('known.shopId')}::text[], ${sql.placeholder('known.url')}::text[]) AS u(shop_id, url)
    ON u.shop_id = c.shop_id
  WHERE c.url IS NOT DISTINCT FROM u.url
    AND ${sql.raw(HEALTH_COLUMNS.map((column) => `c.${column} IS NOT DISTINCT FROM h.${column}`).join(' AND '))}
  ORDER BY c.shop_id
  FOR UPDATE OF c`;

/** The values of `lockHealthAsKnown` for `rows`. */
export const knownValues = (rows: ReadonlyMap<string, WebhookHealthRow>): StatementValues => ({
  ...healthValues(
    'known',
    [...rows].map(([shopId, row]) => [shopId, row.health] as const),
  ),
  'known.url': [...rows.values()].map((row) => row.url),
});

/** A paused webhook to probe. */
export interface ProbeTarget {
  shopId: string;
  url: string;
  sealedSecret: string | null;
  timeoutMs: number;
}

const isProbed = and(
  eq(webhookConfigs.enabled, true),
  isNotNull(webhookConfigs.pausedAt),
  isNotNull(webhookConfigs.url),
);

/**
 * Claims paused webhooks whose probe is due by moving their next probe 6 hours on: the claim is
 * the schedule, so a probe lost with its process simply happens at the next slot.
 */
export async function claimDueProbes(db: Db, now: Date, limits: ClaimLimits): Promise<ProbeTarget[]> {
  if (limits.total <= 0) return [];
  const saturated = saturatedKeys(limits);
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        shopId: webhookConfigs.shopId,
        url: webhookConfigs.url,
        sealedSecret: webhookConfigs.secret,
        timeoutMs: webhookConfigs.timeoutMs,
      })
      .from(webhookConfigs)
      .where(
        and(
          isProbed,
          lte(webhookConfigs.nextProbeAt, now),
          saturated.length > 0 ? notInArray(webhookConfigs.shopId, saturated) : undefined,
        ),
      )
      .orderBy(asc(webhookConfigs.nextProbeAt))
      .limit(limits.total)
      .for('update', { skipLocked: true });
    const picked = pickWithinLimits(
      rows.flatMap((row) => (row.url === null ? [] : [{ ...row, url: row.url, key: row.shopId }])),
      limits,
    );
    if (picked.length > 0) {
      await tx
        .update(webhookConfigs)
        .set({ nextProbeAt: new Date(now.getTime() + PROBE_INTERVAL_MS) })
        .where(
          inArray(
            webhookConfigs.shopId,
            picked.map((row) => row.shopId),
          ),
        );
    }
    return picked;
  });
}

export async function nextProbeDueAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ nextProbeAt: webhookConfigs.nextProbeAt })
    .from(webhookConfigs)
    .where(and(isProbed, isNotNull(webhookConfigs.nextProbeAt)))
    .orderBy(asc(webhookConfigs.nextProbeAt))
    .limit(1);
  return row?.nextProbeAt ?? null;
}
