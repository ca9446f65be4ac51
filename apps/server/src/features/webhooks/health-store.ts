/** SQL of endpoint health: applying an attempt's result under the row lock, and claiming probes. */
import { and, asc, eq, inArray, isNotNull, lte, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { webhookConfigs } from '../../db/schema.ts';
import { notifyWorkers, pickWithinLimits, saturatedKeys, type ClaimLimits } from '../../worker/index.ts';
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

/**
 * Applies one result to the webhook's health, if the webhook still sends to `url` (a result from a
 * URL that was replaced meanwhile says nothing about the new one). A resume makes what the webhook
 * missed due at once and wakes the workers.
 */
export async function applyAttemptToHealth(
  tx: Db,
  shopId: string,
  url: string,
  result: { delivered: boolean; gone: boolean },
  now: Date,
): Promise<HealthChange | null> {
  const [before] = await tx
    .select(healthColumns)
    .from(webhookConfigs)
    .where(and(eq(webhookConfigs.shopId, shopId), eq(webhookConfigs.url, url)))
    .for('update');
  if (before === undefined) return null;
  const after = healthAfterAttempt(before, result, now);
  await tx.update(webhookConfigs).set(after).where(eq(webhookConfigs.shopId, shopId));
  if (before.pausedAt !== null && after.pausedAt === null) {
    await resumeDeliveries(tx, shopId, before.failingSince, now);
    await notifyWorkers(tx);
  }
  return { before, after };
}

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
