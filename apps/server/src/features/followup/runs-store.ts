/**
 * SQL of runs. One run per shop at a time is the unique partial index `followup_runs_one_running`,
 * so it holds across every process on a shared PostgreSQL. A run is worked on under a lease that
 * its process renews; a lease that ran out means that process died, and any process may take the
 * run over and resume it (the log says what was done).
 */
import { and, asc, eq, inArray, isNull, lte, min, notInArray, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { followupRuns, followupSettings, shops } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { pickWithinLimits, type ClaimLimits } from '../../lib/jobs/index.ts';
import { notifyWorkers } from '../../db/wake.ts';
import { readFollowupSettings } from './settings.ts';
import { nextRunAfter, scheduledWindow } from './schedule.ts';

export type RunRow = typeof followupRuns.$inferSelect;

/**
 * Longer than the longest step of a conversation's work between two renewals: the CRM context (two
 * endpoints, 60 s each), then credits (up to 60 s waiting) and the model (60 s, twice), then the
 * purchase check (two endpoints). A process that stops renewing it for this long is taken for dead.
 */
export const RUN_LEASE_MS = 10 * 60_000;

/** drizzle wraps the driver's error: its SQLSTATE is on the cause. */
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  ((error as { code?: unknown }).code === '23505' || isUniqueViolation((error as { cause?: unknown }).cause));

/** The run in progress for a shop, if any. */
export async function runningRun(db: Db | Tx, shopId: string): Promise<RunRow | undefined> {
  const [row] = await db
    .select()
    .from(followupRuns)
    .where(and(eq(followupRuns.shopId, shopId), eq(followupRuns.status, 'running')));
  return row;
}

export interface NewRun {
  shopId: string;
  trigger: RunRow['trigger'];
  chatPhone: string | null;
  window: { from: Date; to: Date };
}

/**
 * Starts a run, or returns the one already in progress for the shop (`created: false`). The worker
 * is woken when the caller's transaction commits.
 */
export async function startRun(tx: Tx, run: NewRun, now: Date): Promise<{ created: boolean; run: RunRow }> {
  const row: RunRow = {
    id: newId('fur'),
    shopId: run.shopId,
    trigger: run.trigger,
    chatPhone: run.chatPhone,
    status: 'running',
    windowFrom: run.window.from,
    windowTo: run.window.to,
    leaseUntil: null,
    claimedBy: null,
    stopReason: null,
    startedAt: now,
    finishedAt: null,
  };
  try {
    // A savepoint, so that losing the race to another process leaves the caller's transaction usable.
    await tx.transaction(async (inner) => {
      await inner.insert(followupRuns).values(row);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await runningRun(tx, run.shopId);
    if (existing === undefined) throw error;
    return { created: false, run: existing };
  }
  await notifyWorkers(tx);
  return { created: true, run: row };
}

/**
 * Runs nobody works on (new, left by a process whose lease ran out, or released because it stopped
 * beating), within the worker's limits. `claimedBy`: the claiming process's heartbeat id, if any.
 */
export async function claimRuns(
  db: Db,
  now: Date,
  limits: ClaimLimits,
  claimedBy: string | null = null,
): Promise<RunRow[]> {
  if (limits.total <= 0) return [];
  return db.transaction(async (tx) => {
    const free = await tx
      .select()
      .from(followupRuns)
      .where(
        and(
          eq(followupRuns.status, 'running'),
          or(isNull(followupRuns.leaseUntil), lte(followupRuns.leaseUntil, now)),
        ),
      )
      .orderBy(asc(followupRuns.startedAt))
      .limit(limits.total)
      .for('update', { skipLocked: true });
    const picked = pickWithinLimits(
      free.map((row) => ({ ...row, key: row.shopId })),
      limits,
    );
    const leaseUntil = new Date(now.getTime() + RUN_LEASE_MS);
    for (const run of picked) {
      await tx.update(followupRuns).set({ leaseUntil, claimedBy }).where(eq(followupRuns.id, run.id));
    }
    return picked.map(({ key: _key, ...run }) => ({ ...run, leaseUntil, claimedBy }));
  });
}

/** When a run next needs a process: now for an unclaimed one, else when the earliest lease runs out. */
export async function nextRunDueAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({
      unclaimed: sql<number>`count(*) filter (where ${followupRuns.leaseUntil} is null)`.mapWith(Number),
      lease: min(followupRuns.leaseUntil),
    })
    .from(followupRuns)
    .where(eq(followupRuns.status, 'running'));
  if (row === undefined) return null;
  if (row.unclaimed > 0) return new Date(0);
  return row.lease;
}

/**
 * Pushes the lease forward; false when the run is no longer this process's (its lease ran out and
 * another process took it over, or it was finished): the caller must stop writing for it.
 */
export async function renewRunLease(db: Db, run: RunRow, now: Date): Promise<boolean> {
  const leaseUntil = new Date(now.getTime() + RUN_LEASE_MS);
  const renewed = await db
    .update(followupRuns)
    .set({ leaseUntil })
    .where(
      and(
        eq(followupRuns.id, run.id),
        eq(followupRuns.status, 'running'),
        eq(followupRuns.leaseUntil, run.leaseUntil ?? new Date(0)),
      ),
    )
    .returning({ id: followupRuns.id });
  if (renewed.length === 0) return false;
  run.leaseUntil = leaseUntil;
  return true;
}

export async function finishRun(
  db: Db,
  run: RunRow,
  outcome: { status: 'completed' | 'stopped'; stopReason: string | null },
  now: Date,
): Promise<void> {
  await db
    .update(followupRuns)
    .set({ status: outcome.status, stopReason: outcome.stopReason, finishedAt: now, leaseUntil: null })
    .where(and(eq(followupRuns.id, run.id), eq(followupRuns.status, 'running')));
}

/**
 * Shared PostgreSQL: these processes stopped beating (worker/heartbeat.ts), so their runs are free to
 * take over now. A process that was only slow finds its lease gone at its next renewal and stops.
 */
export async function releaseRunClaimsOf(tx: Tx, processIds: readonly string[]): Promise<number> {
  const released = await tx
    .update(followupRuns)
    .set({ leaseUntil: null, claimedBy: null })
    .where(and(eq(followupRuns.status, 'running'), inArray(followupRuns.claimedBy, [...processIds])))
    .returning({ id: followupRuns.id });
  return released.length;
}

/**
 * The runs `processId` claimed that it does not work on (`running`: the run ids it works on now): a
 * claim whose COMMIT went through while its answer was lost with the connection. Free to take now.
 */
export async function releaseOrphanedRunClaims(
  db: Db,
  processId: string,
  running: readonly string[],
): Promise<number> {
  const released = await db
    .update(followupRuns)
    .set({ leaseUntil: null, claimedBy: null })
    .where(
      and(
        eq(followupRuns.status, 'running'),
        eq(followupRuns.claimedBy, processId),
        running.length > 0 ? notInArray(followupRuns.id, [...running]) : undefined,
      ),
    )
    .returning({ id: followupRuns.id });
  return released.length;
}

/** Embedded mode: the only process restarted, so every lease in the store belongs to a dead one. */
export async function releaseRunLeases(db: Db): Promise<void> {
  await db.update(followupRuns).set({ leaseUntil: null }).where(eq(followupRuns.status, 'running'));
}

/**
 * The shops whose scheduled run has come: for each, a run is started (unless one is still in
 * progress, which then covers this slot too) and the next slot is set, in one transaction per claim.
 */
export async function startScheduledRuns(db: Db, now: Date, batch = 20): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        shopId: followupSettings.shopId,
        nextRunAt: followupSettings.nextRunAt,
        timezone: shops.timezone,
        disabledAt: shops.disabledAt,
      })
      .from(followupSettings)
      .innerJoin(shops, eq(shops.id, followupSettings.shopId))
      .where(lte(followupSettings.nextRunAt, now))
      .orderBy(asc(followupSettings.nextRunAt))
      .limit(batch)
      .for('update', { of: followupSettings, skipLocked: true });
    for (const shop of due) {
      const { settings } = await readFollowupSettings(tx, shop.shopId);
      const slot = shop.nextRunAt ?? now;
      // A shop the admin disabled skips its slot (nothing is analysed or charged); the next one is set as usual.
      if (shop.disabledAt === null) {
        await startRun(
          tx,
          {
            shopId: shop.shopId,
            trigger: 'schedule',
            chatPhone: null,
            window: { from: scheduledWindow(settings, shop.timezone, slot).from, to: now },
          },
          now,
        );
      }
      await tx
        .update(followupSettings)
        .set({ nextRunAt: settings.enabled ? nextRunAfter(settings, shop.timezone, now) : null })
        .where(eq(followupSettings.shopId, shop.shopId));
    }
    return due.length;
  });
}

/** When the next scheduled run of any shop falls due. */
export async function nextScheduledRunAt(db: Db): Promise<Date | null> {
  const [row] = await db.select({ next: min(followupSettings.nextRunAt) }).from(followupSettings);
  return row?.next ?? null;
}
