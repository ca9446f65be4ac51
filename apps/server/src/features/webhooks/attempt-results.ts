/**
 * Writing what attempts did: the attempt, the delivery's next state and the webhook's health, for any
 * number of attempts at once. The worker records through a group commit: attempts that finish while a
 * result is being written share the next write, which is what lets one process deliver thousands of
 * events a second. docs/decisions/webhook-delivery.md explains the two forms a write takes.
 */
import { sql } from 'drizzle-orm';
import { builtOnce } from '../../db/built-once.ts';
import { queryRows, type Db } from '../../db/database.ts';
import { GroupCommit } from '../../lib/group-commit.ts';
import {
  attemptValues,
  insertAttempts,
  moveDeliveries,
  saveAttempts,
  supersededAmong,
  type FinishedAttempt,
} from './delivery-store.ts';
import {
  applyAttemptsToHealth,
  healthValues,
  knownValues,
  lockHealthAsKnown,
  planHealth,
  writeHealth,
  type HealthChange,
  type HealthPlan,
  type HealthResult,
  type WebhookHealthRow,
} from './health-store.ts';

export interface RecordedAttempt {
  /** False when the claim had been taken over: the attempt is recorded, the delivery left as it was. */
  current: boolean;
  /** Null when the webhook no longer sends to the URL the attempt went to. */
  health: HealthChange | null;
}

const healthResults = (attempts: readonly FinishedAttempt[]): HealthResult[] =>
  attempts.map(({ claimed, sent, now }) => ({
    shopId: claimed.shopId,
    url: claimed.url,
    delivered: sent.outcome.delivered,
    gone: sent.outcome.gone,
    now,
  }));

/** What a result write did: one result per attempt, in order, and the webhooks' rows as it left them. */
interface WrittenBatch {
  recorded: RecordedAttempt[];
  after: ReadonlyMap<string, WebhookHealthRow>;
}

const writtenBatch = (
  attempts: readonly FinishedAttempt[],
  plan: HealthPlan,
  superseded: ReadonlySet<string>,
): WrittenBatch => ({
  recorded: attempts.map((attempt, i) => ({
    current: !superseded.has(attempt.claimed.eventId),
    health: plan.changes[i] ?? null,
  })),
  after: plan.after,
});

/** Writes finished attempts with their health in one transaction, the webhooks' rows locked and read first. */
async function recordLocked(db: Db, attempts: readonly FinishedAttempt[]): Promise<WrittenBatch> {
  return db.transaction(async (tx) => {
    // Health first: it locks the webhooks' rows before the deliveries', in the order configure_webhooks does.
    const plan = await applyAttemptsToHealth(tx, healthResults(attempts));
    return writtenBatch(attempts, plan, await saveAttempts(tx, attempts));
  });
}

/** Writes finished attempts with their health in one transaction; one result per attempt, in order. */
export async function recordAttempts(
  db: Db,
  attempts: readonly FinishedAttempt[],
): Promise<RecordedAttempt[]> {
  return (await recordLocked(db, attempts)).recorded;
}

/** The fence of the write on what is known: true when it locked every webhook row as known. */
const holds = sql`(SELECT ok FROM fence)`;
const writeAsKnown = builtOnce(sql`
  WITH locked AS (${lockHealthAsKnown}),
  fence AS (SELECT count(*) = ${sql.placeholder('knownCount')} AS ok FROM locked),
  health AS (${writeHealth(holds)}),
  attempts AS (${insertAttempts(holds)}),
  moved AS (${moveDeliveries(holds)})
  SELECT ${holds} AS ok, array(SELECT event_id FROM moved) AS moved`);

/**
 * Writes finished attempts in one statement, on the webhooks' health as `known` says it is: the
 * statement locks their rows and writes only if every one still holds that URL and health, so the
 * outcome is the locked transaction's (recordLocked). Null, having written nothing, when a webhook is
 * not known, holds something else (another process or a tool wrote it), or the batch resumes one
 * from a pause (that moves other deliveries: the locked transaction does it).
 */
export async function recordAsKnown(
  db: Db,
  attempts: readonly FinishedAttempt[],
  known: ReadonlyMap<string, WebhookHealthRow>,
): Promise<WrittenBatch | null> {
  const rows = new Map<string, WebhookHealthRow>();
  for (const { claimed } of attempts) {
    const row = known.get(claimed.shopId);
    if (row === undefined) return null;
    rows.set(claimed.shopId, row);
  }
  const plan = planHealth(rows, healthResults(attempts));
  if (plan.resumed.length > 0) return null;
  const [result] = await queryRows<{ ok: boolean; moved: string[] }>(
    db,
    writeAsKnown({
      ...knownValues(rows),
      knownCount: rows.size,
      ...healthValues('changed', plan.changed),
      ...attemptValues(attempts),
    }),
  );
  if (result?.ok !== true) return null;
  return writtenBatch(attempts, plan, supersededAmong(attempts, result.moved));
}

export type RecordAttempt = (attempt: FinishedAttempt) => Promise<RecordedAttempt>;

/** The worker's recorder: it also says how many results wait to be written. */
export type AttemptRecorder = RecordAttempt & { pending(): number };

/** At most this many attempts share one result transaction (its statements bind arrays of this size). */
const MAX_ATTEMPTS_PER_COMMIT = 256;

/**
 * Records each attempt in the next result write, shared with the attempts finishing meanwhile. A
 * write is one statement while the webhooks' health is as this recorder last wrote it (recordAsKnown),
 * and the locked transaction otherwise, which also tells the recorder what it found.
 */
export function createAttemptRecorder(db: Db): AttemptRecorder {
  /** Each webhook's URL and health as this recorder's last write left them. */
  const known = new Map<string, WebhookHealthRow>();
  const record = async (attempts: readonly FinishedAttempt[]) => {
    let written = await recordAsKnown(db, attempts, known);
    if (written === null) {
      // A webhook gone meanwhile is not in what the locked write finds: forget it.
      for (const { claimed } of attempts) known.delete(claimed.shopId);
      written = await recordLocked(db, attempts);
    }
    for (const [shopId, row] of written.after) known.set(shopId, row);
    return written.recorded;
  };
  const commits = new GroupCommit(record, { maxBatch: MAX_ATTEMPTS_PER_COMMIT });
  return Object.assign((attempt: FinishedAttempt) => commits.submit(attempt), {
    pending: () => commits.pending,
  });
}

/** Records one attempt in a transaction of its own (an attempt someone waits on, such as a redelivery). */
export const recordAttemptAlone =
  (db: Db): RecordAttempt =>
  async (attempt) => {
    const [recorded] = await recordAttempts(db, [attempt]);
    if (recorded === undefined) throw new Error('recording one attempt returned no result');
    return recorded;
  };
