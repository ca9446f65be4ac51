/**
 * Processes sharing a PostgreSQL announce themselves: each writes its row in `process_heartbeats`
 * every `intervalMs`, and writes its id on the jobs it claims (`claimed_by`). A row older than
 * `staleAfterMs` belongs to a process that died (SIGKILL, a lost machine): the next live process to
 * beat deletes it and, in the same transaction, releases the claims of that process (each job source's
 * `releaseClaimsOf`), then wakes the workers. A dead process's webhook deliveries and Smart Follow-up
 * runs are thus taken over within `staleAfterMs + intervalMs`, instead of at the end of their leases
 * (minutes); a slow but live process keeps beating, so its claims stay its own until their leases end.
 *
 * Ages of rows are measured with the database's clock (`now()`), which every process shares. A process
 * only judges others once its own beats have succeeded for `staleAfterMs` in a row (by the app clock):
 * after an outage every row is old, and the first process back must not take the work of those still
 * reconnecting.
 *
 * Embedded mode has no heartbeat: one process owns the store, and its start releases every claim.
 * docs/operations.md gives the timings an operator can expect.
 */
import { hostname } from 'node:os';
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, unavailableReason } from '../db/availability.ts';
import type { Db } from '../db/database.ts';
import { processHeartbeats } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { notifyWorkers } from '../db/wake.ts';
import type { JobSource } from '../lib/jobs/job-source.ts';

export interface HeartbeatOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  sources: readonly JobSource[];
  intervalMs: number;
  staleAfterMs: number;
}

export interface Heartbeat {
  /** This process's id, written on its claims. */
  processId: string;
  /** Writes the first beat (start fails when the database cannot be reached), then beats on a timer. */
  start(): Promise<void>;
  /** One beat now: the row, then the release of dead processes' claims when this process may judge. */
  beat(): Promise<void>;
  /**
   * Stops beating and marks the row as stale at once, so the claims this process leaves behind
   * (runs abandoned at shutdown) are released by the next live process to beat.
   */
  stop(): Promise<void>;
}

export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { db, logger, intervalMs, staleAfterMs } = options;
  const processId = newId('proc');
  const label = `${hostname()}:${process.pid}`;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** When (app clock, ms) the current run of successful beats began; undefined after a failure. */
  let healthySince: number | undefined;
  /** A beat failed since the last success: the next success is logged. */
  let failing = false;
  let beating: Promise<void> = Promise.resolve();

  async function writeRow(): Promise<void> {
    await db
      .insert(processHeartbeats)
      .values({ processId, label })
      .onConflictDoUpdate({ target: processHeartbeats.processId, set: { seenAt: sql`now()` } });
  }

  async function releaseDeadProcesses(): Promise<void> {
    const released = await db.transaction(async (tx) => {
      const dead = await tx
        .delete(processHeartbeats)
        .where(
          and(
            lt(processHeartbeats.seenAt, sql`now() - make_interval(secs => ${staleAfterMs / 1000})`),
            ne(processHeartbeats.processId, processId),
          ),
        )
        .returning({ processId: processHeartbeats.processId, label: processHeartbeats.label });
      if (dead.length === 0) return undefined;
      const ids = dead.map((row) => row.processId);
      const now = options.clock.now();
      let claims = 0;
      for (const source of options.sources) claims += (await source.releaseClaimsOf?.(tx, ids, now)) ?? 0;
      if (claims > 0) await notifyWorkers(tx);
      return { processes: dead.map((row) => row.label), claims };
    });
    if (released !== undefined) {
      logger.warn(released, 'processes stopped beating; the work they had claimed was released');
    }
  }

  async function beatOnce(): Promise<void> {
    try {
      await writeRow();
      if (failing) logger.info('heartbeat written again');
      failing = false;
      healthySince ??= options.clock.now().getTime();
      if (options.clock.now().getTime() - healthySince >= staleAfterMs) await releaseDeadProcesses();
    } catch (error) {
      if (!failing) {
        logger.warn(
          isDatabaseUnavailable(error) ? { reason: unavailableReason(error) } : { err: error },
          'heartbeat failed; if it keeps failing, other processes will take over the work this one claimed',
        );
      }
      failing = true;
      healthySince = undefined;
    }
  }

  /** One beat at a time: a slow one (an outage) is not joined by the next. */
  const beat = (): Promise<void> => {
    beating = beating.then(beatOnce);
    return beating;
  };

  function scheduleNext(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      beat().finally(scheduleNext);
    }, intervalMs);
    timer.unref();
  }

  return {
    processId,
    async start() {
      await writeRow();
      healthySince = options.clock.now().getTime();
      scheduleNext();
    },
    beat,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await beating;
      await db
        .update(processHeartbeats)
        .set({ seenAt: sql`'-infinity'::timestamptz` })
        .where(eq(processHeartbeats.processId, processId))
        .catch((error: unknown) =>
          logger.warn(
            isDatabaseUnavailable(error) ? { reason: unavailableReason(error) } : { err: error },
            'could not mark this process as stopped',
          ),
        );
    },
  };
}
