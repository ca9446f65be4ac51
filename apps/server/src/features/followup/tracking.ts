/**
 * What happens to a follow-up after it is created (docs/smart-followup.md). The worker looks at a
 * follow-up when its `next_check_at` comes:
 * - pending, at its due time: expired if it could only become due over 72 h late (downtime);
 *   cancelled when the customer wrote since, opted out, or bought (the CRM is asked again); moved to
 *   the sending window's next opening when outside it; else due, and `followup.detected` is recorded.
 *   A CRM that cannot answer holds it pending and asks again shortly: never a follow-up on an unknown.
 * - due or sent, every 6 h and after each reply, while tracked: a purchase makes it converted
 *   (`followup.converted`), or cancels it while it still waits for an agent; when tracking ends, one
 *   no agent acted on expires.
 * Replies are found by a poll of their own (`markReplies`). Every state change and its event commit
 * together; a check's writes are fenced by its claim, so a claim lost to another process writes nothing.
 */
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { queryRows, type Db } from '../../db/database.ts';
import {
  conversationMessages,
  followupAnalyses,
  followupOptOuts,
  followups,
  shops,
} from '../../db/schema.ts';
import type { ClaimLimits } from '../../lib/jobs/index.ts';
import { pickWithinLimits } from '../../lib/jobs/index.ts';
import { recordConverted, recordDetected, recordReplied, type FollowupRow } from './events.ts';
import { checkPurchase, presentOrder } from './purchase-check.ts';
import { EXPIRE_AFTER_MS, insideSendingWindow, intoSendingWindow } from './schedule.ts';
import { readFollowupSettings } from './settings.ts';

const MINUTE_MS = 60_000;
/** How long a claimed check is this process's; a check takes at most a CRM call (60 s). */
const CHECK_LEASE_MS = 5 * MINUTE_MS;
/** A CRM that could not answer is asked again after this. */
const CRM_RETRY_MS = 15 * MINUTE_MS;
/** How often a tracked follow-up's purchase is checked. */
const CONVERSION_CHECK_MS = 6 * 60 * MINUTE_MS;

export interface ClaimedCheck {
  row: FollowupRow;
  timezone: string;
  /** The claim: writes for this check happen only while `next_check_at` still holds it. */
  lease: Date;
}

export async function claimChecks(db: Db, now: Date, limits: ClaimLimits): Promise<ClaimedCheck[]> {
  if (limits.total <= 0) return [];
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ row: followups, timezone: shops.timezone })
      .from(followups)
      .innerJoin(shops, eq(shops.id, followups.shopId))
      .where(lte(followups.nextCheckAt, now))
      .orderBy(asc(followups.nextCheckAt))
      .limit(limits.total)
      .for('update', { of: followups, skipLocked: true });
    const picked = pickWithinLimits(
      due.map((claim) => ({ ...claim, key: claim.row.shopId })),
      limits,
    );
    const lease = new Date(now.getTime() + CHECK_LEASE_MS);
    if (picked.length > 0) {
      await tx
        .update(followups)
        .set({ nextCheckAt: lease })
        .where(
          inArray(
            followups.id,
            picked.map((claim) => claim.row.id),
          ),
        );
    }
    return picked.map(({ row, timezone }) => ({ row: { ...row, nextCheckAt: lease }, timezone, lease }));
  });
}

export async function nextCheckDueAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ next: sql<Date | null>`min(${followups.nextCheckAt})`.mapWith((value) => new Date(value)) })
    .from(followups)
    .where(isNotNull(followups.nextCheckAt));
  return row?.next ?? null;
}

/** The claim still holds: this process may write the check's outcome. */
const claimHeld = (check: ClaimedCheck) =>
  and(eq(followups.id, check.row.id), eq(followups.nextCheckAt, check.lease));

type FollowupChange = Partial<typeof followups.$inferInsert>;

async function settle(deps: Pick<AppDeps, 'db' | 'clock'>, check: ClaimedCheck, change: FollowupChange) {
  await deps.db
    .update(followups)
    .set({ ...change, updatedAt: deps.clock.now() })
    .where(claimHeld(check));
}

async function customerWroteSince(db: Db, row: FollowupRow, since: Date): Promise<boolean> {
  const [message] = await db
    .select({ id: conversationMessages.messageId })
    .from(conversationMessages)
    .where(
      and(
        eq(conversationMessages.shopId, row.shopId),
        eq(conversationMessages.chatPhone, row.chatPhone),
        eq(conversationMessages.direction, 'in'),
        gt(conversationMessages.sentAt, since),
      ),
    )
    .limit(1);
  return message !== undefined;
}

async function optedOut(db: Db, row: FollowupRow): Promise<boolean> {
  const [optOut] = await db
    .select({ phone: followupOptOuts.phone })
    .from(followupOptOuts)
    .where(and(eq(followupOptOuts.shopId, row.shopId), eq(followupOptOuts.phone, row.chatPhone)));
  return optOut !== undefined;
}

export async function runCheck(deps: AppDeps, check: ClaimedCheck): Promise<void> {
  if (check.row.status === 'pending') return becomeDue(deps, check);
  return trackConversion(deps, check);
}

async function becomeDue(deps: AppDeps, check: ClaimedCheck): Promise<void> {
  const { row } = check;
  const now = deps.clock.now();
  const cancel = (reason: NonNullable<FollowupRow['cancelReason']>) =>
    settle(deps, check, { status: 'cancelled', cancelReason: reason, nextCheckAt: null });
  if (now.getTime() - row.dueAt.getTime() > EXPIRE_AFTER_MS) {
    return settle(deps, check, { status: 'expired', nextCheckAt: null });
  }
  if (await customerWroteSince(deps.db, row, row.lastMessageAt)) return cancel('customer_replied');
  const { settings } = await readFollowupSettings(deps.db, row.shopId);
  // A phone the shop excluded since counts as an opt-out: the business said not to write to it.
  if (settings.exclude_phones.includes(row.chatPhone) || (await optedOut(deps.db, row))) {
    return cancel('opted_out');
  }
  if (!insideSendingWindow(settings, check.timezone, now)) {
    return settle(deps, check, { nextCheckAt: intoSendingWindow(settings, check.timezone, now) });
  }
  const purchase = await checkPurchase(deps, row.shopId, row.chatPhone, row.conversationFrom);
  if (purchase.kind === 'purchased') return cancel('converted');
  if (purchase.kind === 'unknown') {
    deps.logger.warn(
      { followup: row.id, shop: row.shopId },
      `follow-up held: the purchase check failed (${purchase.message}); asking again in 15 min`,
    );
    return settle(deps, check, { nextCheckAt: new Date(now.getTime() + CRM_RETRY_MS) });
  }
  const trackingUntil = new Date(now.getTime() + settings.tracking_days * 24 * 60 * MINUTE_MS);
  await deps.db.transaction(async (tx) => {
    const [due] = await tx
      .update(followups)
      .set({
        status: 'due',
        becameDueAt: now,
        trackingUntil,
        nextCheckAt: new Date(Math.min(now.getTime() + CONVERSION_CHECK_MS, trackingUntil.getTime())),
        updatedAt: now,
      })
      .where(and(claimHeld(check), eq(followups.status, 'pending')))
      .returning();
    if (due === undefined) return;
    if (await recordDetected(tx, deps, due)) {
      await tx
        .update(followupAnalyses)
        .set({ action: 'webhook_fired', updatedAt: now })
        .where(eq(followupAnalyses.id, due.analysisId));
    }
  });
}

/**
 * A follow-up still `due` for agents is one nobody sent yet: a purchase (or a reply) then makes the
 * draft stale, and it is cancelled rather than credited. One for the webhook only (`agent_queue`
 * false) was handed to the business's own system, which sends it: it is tracked as sent.
 */
const awaitsAgent = (row: FollowupRow) => row.status === 'due' && row.agentQueue;

async function trackConversion(deps: AppDeps, check: ClaimedCheck): Promise<void> {
  const { row } = check;
  const now = deps.clock.now();
  if (row.convertedAt !== null || row.becameDueAt === null || row.trackingUntil === null) {
    return settle(deps, check, { nextCheckAt: null });
  }
  const trackingUntil = row.trackingUntil;
  // The check that falls at the end of tracking still counts; one that comes far later (downtime) does not.
  const ended = now.getTime() > trackingUntil.getTime() + CONVERSION_CHECK_MS;
  const purchase = ended ? null : await checkPurchase(deps, row.shopId, row.chatPhone, row.becameDueAt);
  if (purchase?.kind === 'purchased') {
    if (awaitsAgent(row)) {
      return settle(deps, check, { status: 'cancelled', cancelReason: 'converted', nextCheckAt: null });
    }
    return deps.db.transaction(async (tx) => {
      const order = presentOrder(purchase.order);
      const [converted] = await tx
        .update(followups)
        .set({ convertedAt: now, convertedOrder: order, nextCheckAt: null, updatedAt: now })
        .where(and(claimHeld(check), isNull(followups.convertedAt)))
        .returning();
      if (converted !== undefined) await recordConverted(tx, deps, converted, now, order);
    });
  }
  if (now >= trackingUntil) {
    // Tracking is over; a follow-up no agent acted on in that time leaves the queue.
    return settle(deps, check, {
      nextCheckAt: null,
      ...(row.status === 'due' ? { status: 'expired' as const } : {}),
    });
  }
  return settle(deps, check, {
    nextCheckAt: new Date(Math.min(now.getTime() + CONVERSION_CHECK_MS, trackingUntil.getTime())),
  });
}

/**
 * Finds the tracked follow-ups whose customer wrote after they became due. One sent (or handed to
 * the webhook) is marked replied with its `followup.replied` event, and a purchase check is asked for
 * at once; one still waiting for an agent is cancelled (`customer_replied`): its draft answers a
 * conversation that has moved on. Row locks make it safe for every process to run this: a follow-up
 * is marked once.
 */
export async function markReplies(deps: Pick<AppDeps, 'db' | 'clock' | 'signingKey'>): Promise<number> {
  const now = deps.clock.now().toISOString();
  return deps.db.transaction(async (tx) => {
    const marked = await queryRows<{ id: string }>(
      tx,
      sql`UPDATE followups AS f SET
            status = CASE WHEN r.awaits_agent THEN 'cancelled' ELSE f.status END,
            cancel_reason = CASE WHEN r.awaits_agent THEN 'customer_replied' ELSE f.cancel_reason END,
            replied_at = CASE WHEN r.awaits_agent THEN NULL ELSE r.first_at END,
            next_check_at = CASE
              WHEN r.awaits_agent THEN NULL
              WHEN f.converted_at IS NULL THEN ${now}::timestamptz
              ELSE f.next_check_at END,
            updated_at = ${now}::timestamptz
          FROM (
            SELECT t.id, t.status = 'due' AND t.agent_queue AS awaits_agent, (
              SELECT min(m.sent_at) FROM conversation_messages m
              WHERE m.shop_id = t.shop_id AND m.chat_phone = t.chat_phone AND m.direction = 'in'
                AND m.sent_at > t.became_due_at AND m.sent_at <= t.tracking_until
            ) AS first_at
            FROM followups t
            WHERE t.status IN ('due', 'sent') AND t.replied_at IS NULL AND t.tracking_until > ${now}::timestamptz
            FOR UPDATE OF t SKIP LOCKED
          ) AS r
          WHERE f.id = r.id AND r.first_at IS NOT NULL
          RETURNING f.id`,
    );
    if (marked.length === 0) return 0;
    const rows = await tx
      .select()
      .from(followups)
      .where(
        inArray(
          followups.id,
          marked.map((row) => row.id),
        ),
      );
    for (const row of rows) {
      if (row.repliedAt !== null) await recordReplied(tx, deps, row, row.repliedAt);
    }
    return rows.length;
  });
}
