/**
 * SQL of the delivery queue (docs/decisions/webhook-delivery.md). A claim takes due rows with
 * FOR UPDATE SKIP LOCKED, marks them `delivering` under a lease and commits before anything is
 * sent; the result is written only if the claim is still the one that was made (same attempt
 * number), so a claim lost to an expired lease can never overwrite its successor.
 */
import { DEFAULT_WEBHOOK_TIMEOUT_MS } from '@parley/contract';
import {
  and,
  asc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lte,
  notInArray,
  sql,
  type Placeholder,
  type SQL,
} from 'drizzle-orm';
import { builtOnce, type StatementValues } from '../../db/built-once.ts';
import { queryRows, type Db, type Tx } from '../../db/database.ts';
import { shops, webhookAttempts, webhookConfigs, webhookDeliveries, webhookEvents } from '../../db/schema.ts';
import type { ClaimLimits } from '../../lib/jobs/index.ts';
import { notifyWorkers } from '../../db/wake.ts';
import type { WebhookEventName } from './event-body.ts';
import { MAX_ATTEMPTS, type DeliveryDecision } from './retry-schedule.ts';
import type { SentWebhook } from './send.ts';

/**
 * Longer than the longest request timeout (180 s) plus the time to record the result: a claim
 * still held after that was lost with its process.
 */
export const DELIVERY_LEASE_MS = DEFAULT_WEBHOOK_TIMEOUT_MS + 60_000;

export interface ClaimedDelivery {
  eventId: string;
  shopId: string;
  event: WebhookEventName;
  body: string;
  /** The number of this attempt (X-Webhook-Attempt); it also fences the result write. */
  attempt: number;
  scheduleStart: number;
  url: string;
  sealedSecret: string | null;
  timeoutMs: number;
}

const deliveries = webhookDeliveries;

/** Written as the partial index `webhook_deliveries_due` is, so the planner uses it. */
export const isPending = sql`${deliveries.status} in ('queued', 'delivering')`;

/** A webhook whose deliveries may be sent now. */
const isSending = and(
  eq(webhookConfigs.enabled, true),
  isNull(webhookConfigs.pausedAt),
  isNotNull(webhookConfigs.url),
);

const INTERRUPTED_MESSAGE =
  'The process making this attempt stopped (restart or crash) before recording its result; the receiver may or may not have received it.';

const value = sql.placeholder;

/** What a claim reads of a webhook: where to send. */
const targetColumns = sql`${webhookConfigs.shopId} AS shop_id, ${webhookConfigs.url} AS url,
  ${webhookConfigs.secret} AS secret, ${webhookConfigs.timeoutMs} AS timeout_ms`;

/** What a claim reads of a delivery: how to take it. */
const claimStateColumns = sql`${deliveries.eventId} AS event_id, ${deliveries.status} AS status,
  ${deliveries.attempts} AS attempts, ${deliveries.scheduleStart} AS schedule_start,
  ${deliveries.lastAttemptAt} AS last_attempt_at, ${deliveries.dueAt} AS due_at`;

/**
 * Per sending webhook, at most its shop's free slots (its cap less its runs in progress) of its oldest
 * due rows, locked: one shop's backlog cannot fill the claim. Then the oldest of them, up to `total`.
 */
const dueCandidates = sql`
  SELECT ${targetColumns}, due.*
  FROM ${webhookConfigs}
  -- A disabled shop's deliveries wait, due as they were, until the admin enables it again.
  JOIN ${shops} ON ${shops.id} = ${webhookConfigs.shopId} AND ${shops.disabledAt} IS NULL
  CROSS JOIN LATERAL (
    SELECT ${claimStateColumns}
    FROM ${deliveries}
    WHERE ${and(eq(deliveries.shopId, webhookConfigs.shopId), isPending, lte(deliveries.dueAt, value('now')))}
    ORDER BY ${deliveries.dueAt}
    LIMIT coalesce(
      (SELECT greatest(${value('perKey')} - b.running, 0)
        FROM unnest(${value('busyKeys')}::text[], ${value('busyRuns')}::integer[]) AS b(shop_id, running)
        WHERE b.shop_id = ${webhookConfigs.shopId}),
      ${value('perKey')})
    FOR UPDATE SKIP LOCKED
  ) AS due
  WHERE ${isSending}
  ORDER BY due.due_at
  LIMIT ${value('total')}`;

/** The one delivery a redelivery claims (its row already locked by the caller), if its webhook has a URL. */
const redeliveryCandidate = sql`
  SELECT ${targetColumns}, ${claimStateColumns}
  FROM ${deliveries} JOIN ${webhookConfigs} ON ${webhookConfigs.shopId} = ${deliveries.shopId}
  WHERE ${deliveries.eventId} = ${value('eventId')} AND ${webhookConfigs.url} IS NOT NULL`;

/**
 * Marks the `candidates` (a SELECT of `targetColumns` and `claimStateColumns`, its rows locked) `delivering`
 * under a new lease, in one statement, and returns them with their events. A row found `delivering`
 * had its lease expire: that attempt is recorded as interrupted, and counts (a delivery that crashes
 * its process every time must still run out of attempts); one whose schedule it used up is exhausted
 * instead of claimed. A fresh schedule (a redelivery) starts again from this attempt.
 */
function claimStatement(candidates: SQL, { freshSchedule }: { freshSchedule: boolean }): SQL {
  const lost = sql`c.status = 'delivering'`;
  const spent = freshSchedule
    ? sql`false`
    : sql`(${lost} AND c.attempts - c.schedule_start >= ${value('maxAttempts')})`;
  return sql`
    WITH c AS (${candidates}),
    interrupted AS (
      INSERT INTO ${webhookAttempts} (event_id, attempt, started_at, outcome, error_class, error_code, error_message)
      SELECT c.event_id, c.attempts, coalesce(c.last_attempt_at, ${value('now')}), 'interrupted', 'interrupted',
        'INTERRUPTED', ${value('interruptedMessage')}
      FROM c WHERE ${lost}
      ON CONFLICT DO NOTHING
    ),
    spent AS (
      UPDATE ${deliveries} AS d SET status = 'exhausted' FROM c WHERE d.event_id = c.event_id AND ${spent}
    ),
    claimed AS (
      UPDATE ${deliveries} AS d SET
        status = 'delivering', attempts = d.attempts + 1, due_at = ${value('leaseEnd')},
        last_attempt_at = ${value('now')}, claimed_by = ${value('claimedBy')}
        ${freshSchedule ? sql`, schedule_start = d.attempts` : sql``}
      FROM c WHERE d.event_id = c.event_id AND NOT ${spent}
      RETURNING d.event_id, d.attempts, d.schedule_start, c.shop_id, c.url, c.secret, c.timeout_ms, c.due_at
    )
    SELECT claimed.event_id, claimed.shop_id, e.event, e.body, claimed.attempts, claimed.schedule_start,
      claimed.url, claimed.secret, claimed.timeout_ms
    FROM claimed JOIN ${webhookEvents} AS e ON e.id = claimed.event_id
    ORDER BY claimed.due_at`;
}

const claimDue = builtOnce(claimStatement(dueCandidates, { freshSchedule: false }));
const claimForManualAttempt = builtOnce(claimStatement(redeliveryCandidate, { freshSchedule: true }));

/** The values every claim binds. */
const claimValues = (now: Date, claimedBy: string | null) => ({
  now,
  leaseEnd: new Date(now.getTime() + DELIVERY_LEASE_MS),
  claimedBy,
  interruptedMessage: INTERRUPTED_MESSAGE,
  maxAttempts: MAX_ATTEMPTS,
});

interface ClaimedRow {
  event_id: string;
  shop_id: string;
  event: WebhookEventName;
  body: string;
  attempts: number;
  schedule_start: number;
  url: string;
  secret: string | null;
  timeout_ms: number;
}

async function runClaim(db: Db, statement: SQL): Promise<ClaimedDelivery[]> {
  const rows = await queryRows<ClaimedRow>(db, statement);
  return rows.map((row) => ({
    eventId: row.event_id,
    shopId: row.shop_id,
    event: row.event,
    body: row.body,
    attempt: row.attempts,
    scheduleStart: row.schedule_start,
    url: row.url,
    sealedSecret: row.secret,
    timeoutMs: row.timeout_ms,
  }));
}

/**
 * Claims due deliveries of webhooks that may send, the oldest first, within the worker's limits, in
 * one statement (no transaction around it: a claim is one round trip). `claimedBy` is the claiming
 * process's heartbeat id (worker/heartbeat.ts), null when it has none.
 */
export async function claimDueDeliveries(
  db: Db,
  now: Date,
  limits: ClaimLimits,
  claimedBy: string | null = null,
): Promise<ClaimedDelivery[]> {
  if (limits.total <= 0) return [];
  const busy = [...limits.busy];
  return runClaim(
    db,
    claimDue({
      ...claimValues(now, claimedBy),
      perKey: limits.perKey,
      busyKeys: busy.map(([key]) => key),
      busyRuns: busy.map(([, running]) => running),
      total: limits.total,
    }),
  );
}

export type RedeliveryClaim =
  | { kind: 'claimed'; delivery: ClaimedDelivery }
  | { kind: 'not_found' }
  | { kind: 'in_flight'; attempt: number; since: Date | null };

/** Claims one delivery for a manual attempt now, with a fresh retry schedule, whatever its status. */
export async function claimForRedelivery(
  db: Db,
  shopId: string,
  eventId: string,
  now: Date,
): Promise<RedeliveryClaim> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        status: deliveries.status,
        attempts: deliveries.attempts,
        dueAt: deliveries.dueAt,
        lastAttemptAt: deliveries.lastAttemptAt,
      })
      .from(deliveries)
      .where(and(eq(deliveries.eventId, eventId), eq(deliveries.shopId, shopId)))
      .for('update');
    if (row === undefined) return { kind: 'not_found' };
    if (row.status === 'delivering' && row.dueAt > now) {
      return { kind: 'in_flight', attempt: row.attempts, since: row.lastAttemptAt };
    }
    // Made by a request, not a worker: the lease alone covers it (the caller awaits the attempt).
    const [delivery] = await runClaim(tx, claimForManualAttempt({ ...claimValues(now, null), eventId }));
    if (delivery === undefined) throw new Error(`claiming delivery ${eventId} updated no row`);
    return { kind: 'claimed', delivery };
  });
}

/** One finished attempt of a claimed delivery, and where it sends the delivery next. */
export interface FinishedAttempt {
  claimed: ClaimedDelivery;
  sent: SentWebhook;
  decision: DeliveryDecision;
  /** When the attempt's result was known. */
  now: Date;
}

/** The values `insertAttempts` and `moveDeliveries` bind: one array per column, one element per attempt. */
export function attemptValues(attempts: readonly FinishedAttempt[]): StatementValues {
  const column = <T>(pick: (attempt: FinishedAttempt) => T) => attempts.map(pick);
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    attemptEventIds: column((a) => a.claimed.eventId),
    attemptNumbers: column((a) => a.claimed.attempt),
    attemptStartedAt: column((a) => a.sent.startedAt.toISOString()),
    attemptOutcomes: column((a) => (a.sent.outcome.delivered ? 'delivered' : 'failed')),
    attemptHttpStatuses: column((a) => a.sent.outcome.httpStatus),
    attemptLatencies: column((a) => a.sent.outcome.latencyMs),
    attemptErrorClasses: column((a) => a.sent.outcome.error?.class ?? null),
    attemptErrorCodes: column((a) => a.sent.outcome.error?.code ?? null),
    attemptErrorMessages: column((a) => a.sent.outcome.error?.message ?? null),
    attemptExcerpts: column((a) => a.sent.outcome.responseExcerpt),
    nextStatuses: column((a) => a.decision.status),
    nextDueAt: column((a) => iso(a.decision.status === 'queued' ? a.decision.dueAt : null)),
    deliveredAt: column((a) => iso(a.decision.status === 'delivered' ? a.now : null)),
  };
}

/**
 * Records the attempts (`attemptValues`): a statement for any number of them. Replaces an
 * `interrupted` placeholder written by whoever took over: this is what really happened. With `guard`,
 * only if it holds (a boolean expression of the statement).
 */
export const insertAttempts = (guard: SQL = sql`true`): SQL => sql`
  INSERT INTO ${webhookAttempts} (event_id, attempt, started_at, outcome, http_status, latency_ms,
    error_class, error_code, error_message, response_excerpt)
  SELECT * FROM unnest(
    ${value('attemptEventIds')}::text[],
    ${value('attemptNumbers')}::integer[],
    ${value('attemptStartedAt')}::timestamptz[],
    ${value('attemptOutcomes')}::text[],
    ${value('attemptHttpStatuses')}::integer[],
    ${value('attemptLatencies')}::integer[],
    ${value('attemptErrorClasses')}::text[],
    ${value('attemptErrorCodes')}::text[],
    ${value('attemptErrorMessages')}::text[],
    ${value('attemptExcerpts')}::text[]
  )
  WHERE ${guard}
  ON CONFLICT (event_id, attempt) DO UPDATE SET
    started_at = excluded.started_at, outcome = excluded.outcome, http_status = excluded.http_status,
    latency_ms = excluded.latency_ms, error_class = excluded.error_class, error_code = excluded.error_code,
    error_message = excluded.error_message, response_excerpt = excluded.response_excerpt`;

/**
 * Moves each delivery on (`attemptValues`), if its claim is still that attempt's, returning the
 * `event_id`s moved: a statement for any number of them. With `guard`, only if it holds.
 */
export const moveDeliveries = (guard: SQL = sql`true`): SQL => sql`
  UPDATE ${deliveries} AS d SET
    status = next.status,
    due_at = coalesce(next.due_at, d.due_at),
    delivered_at = coalesce(next.delivered_at, d.delivered_at)
  FROM unnest(
    ${value('attemptEventIds')}::text[],
    ${value('attemptNumbers')}::integer[],
    ${value('nextStatuses')}::text[],
    ${value('nextDueAt')}::timestamptz[],
    ${value('deliveredAt')}::timestamptz[]
  ) AS next(event_id, attempt, status, due_at, delivered_at)
  WHERE d.event_id = next.event_id AND d.status = 'delivering' AND d.attempts = next.attempt AND ${guard}
  RETURNING d.event_id`;

/**
 * The event ids whose claim was not current (its lease expired and another claim took over): their
 * attempt is still recorded, since it happened, but the delivery is its successor's to move.
 */
export const supersededAmong = (
  attempts: readonly FinishedAttempt[],
  moved: Iterable<string>,
): Set<string> => {
  const current = new Set(moved);
  return new Set(attempts.map((a) => a.claimed.eventId).filter((eventId) => !current.has(eventId)));
};

const insertAttemptsAlone = builtOnce(insertAttempts());
const moveDeliveriesAlone = builtOnce(moveDeliveries());

/** Records the attempts and moves each delivery on, in `tx`, a statement each; returns the superseded. */
export async function saveAttempts(tx: Db, attempts: readonly FinishedAttempt[]): Promise<Set<string>> {
  const values = attemptValues(attempts);
  await tx.execute(insertAttemptsAlone(values));
  const moved = await queryRows<{ event_id: string }>(tx, moveDeliveriesAlone(values));
  return supersededAmong(
    attempts,
    moved.map((row) => row.event_id),
  );
}

/** When the next delivery of a sending webhook falls due, a lease end included. */
export async function nextDeliveryDueAt(db: Db): Promise<Date | null> {
  const first = db
    .select({ dueAt: deliveries.dueAt })
    .from(deliveries)
    .where(and(eq(deliveries.shopId, webhookConfigs.shopId), isPending))
    .orderBy(asc(deliveries.dueAt))
    .limit(1)
    .as('first');
  const [row] = await db
    .select({ dueAt: first.dueAt })
    .from(webhookConfigs)
    .crossJoinLateral(first)
    .where(isSending)
    .orderBy(asc(first.dueAt))
    .limit(1);
  return row?.dueAt ?? null;
}

/**
 * Shared PostgreSQL: these processes stopped beating (worker/heartbeat.ts), so the leases of their
 * claims end now. The next claim records each lost attempt as interrupted and sends it again.
 */
export async function releaseClaimsOf(tx: Db, processIds: readonly string[], now: Date): Promise<number> {
  const released = await tx
    .update(deliveries)
    .set({ dueAt: now })
    .where(and(eq(deliveries.status, 'delivering'), inArray(deliveries.claimedBy, [...processIds])))
    .returning({ eventId: deliveries.eventId });
  return released.length;
}

/**
 * The claims `processId` made that none of its runs works on (`running`: the event ids it sends now):
 * a claim whose COMMIT went through while its answer was lost with the connection. Due now.
 */
export async function releaseOrphanedClaims(
  db: Db,
  processId: string,
  running: readonly string[],
  now: Date,
): Promise<number> {
  const released = await db
    .update(deliveries)
    .set({ dueAt: now })
    .where(
      and(
        eq(deliveries.status, 'delivering'),
        eq(deliveries.claimedBy, processId),
        running.length > 0 ? notInArray(deliveries.eventId, [...running]) : undefined,
      ),
    )
    .returning({ eventId: deliveries.eventId });
  return released.length;
}

/** Embedded mode at start: every claim belongs to a process that is gone, so its lease ends now. */
export async function expireAllLeases(db: Db, now: Date): Promise<void> {
  await db.update(deliveries).set({ dueAt: now }).where(eq(deliveries.status, 'delivering'));
}

/**
 * recover_webhooks: every delivery whose last attempt failed at or after `since` is due now with a
 * fresh schedule; `failed` ones were waiting for a retry, `exhausted` ones had run out of attempts.
 */
export async function requeueFailedSince(
  db: Db,
  shopId: string,
  since: Date,
  now: Date,
): Promise<{ failed: number; exhausted: number }> {
  return db.transaction(async (tx) => {
    const restart = { dueAt: now, scheduleStart: sql`${deliveries.attempts}` };
    const inShopSince = and(eq(deliveries.shopId, shopId), gte(deliveries.lastAttemptAt, since));
    // Failed ones first: once requeued, exhausted ones look just like them.
    const failed = await tx
      .update(deliveries)
      .set(restart)
      .where(and(inShopSince, eq(deliveries.status, 'queued'), gt(deliveries.attempts, 0)))
      .returning({ eventId: deliveries.eventId });
    const exhausted = await tx
      .update(deliveries)
      .set({ ...restart, status: 'queued' })
      .where(and(inShopSince, eq(deliveries.status, 'exhausted')))
      .returning({ eventId: deliveries.eventId });
    if (failed.length + exhausted.length > 0) await notifyWorkers(tx);
    return { failed: failed.length, exhausted: exhausted.length };
  });
}

/**
 * A paused webhook resumed: what it missed is due now. Deliveries waiting for a retry are brought
 * forward, and those that ran out of attempts during the outage (since `failingSince`) get a fresh
 * schedule. The caller wakes the workers with its commit.
 */
export async function resumeDeliveries(
  tx: Db,
  shopId: string,
  failingSince: Date | null,
  now: Date,
): Promise<void> {
  await tx
    .update(deliveries)
    .set({ dueAt: now })
    .where(and(eq(deliveries.shopId, shopId), eq(deliveries.status, 'queued'), gt(deliveries.dueAt, now)));
  if (failingSince === null) return;
  await tx
    .update(deliveries)
    .set({ status: 'queued', dueAt: now, scheduleStart: sql`${deliveries.attempts}` })
    .where(
      and(
        eq(deliveries.shopId, shopId),
        eq(deliveries.status, 'exhausted'),
        gte(deliveries.lastAttemptAt, failingSince),
      ),
    );
}

/**
 * Events stored but not delivered yet: waiting, retrying or in flight. Awaited, the count; placed in a
 * select, a subquery of the same statement. `shopId` may be a placeholder of a prepared query.
 */
export const countPending = (db: Db | Tx, shopId: string | Placeholder) =>
  db.$count(deliveries, and(eq(deliveries.shopId, shopId), isPending));
