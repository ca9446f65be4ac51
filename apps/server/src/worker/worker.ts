/**
 * The claim loop. Job sources claim due rows from the database (committed before any work starts)
 * and hand back runs; the worker runs them within a global limit and a limit per key, and sleeps
 * until a run finishes, a notification arrives, the next job falls due, or the poll interval ends.
 * Nothing here knows what a job does: see the sources in `catalog.ts`.
 */
import type { Logger } from 'pino';
import { isDatabaseUnavailable, unavailableReason } from '../db/availability.ts';
import { afterPendingIo } from '../lib/after-pending-io.ts';
import type { Clock } from '../lib/clock.ts';
import type { Claimant, ClaimedRun, JobSource } from '../lib/jobs/job-source.ts';

export interface WorkerOptions {
  sources: readonly JobSource[];
  clock: Clock;
  logger: Logger;
  /** Runs at once in this process. */
  concurrency?: number;
  /** Runs at once per key (per shop) in this process. */
  perKeyConcurrency?: number;
  /** The longest sleep between two claims: a safety net for lost notifications. */
  pollIntervalMs?: number;
  /** How long stop() waits for runs in flight before leaving them to their leases. */
  shutdownGraceMs?: number;
  /** True in embedded mode, where one process owns the store (the data-dir lock guarantees it). */
  ownsStore: boolean;
  /** The heartbeat id written on this process's claims (shared PostgreSQL); null or absent otherwise. */
  processId?: string | null;
  /** Subscribes to wake-ups (database notifications); resolves with the unsubscribe. */
  listen?: (onWake: () => void) => Promise<() => Promise<void>>;
}

export interface StartedRun {
  key: string;
  label: string;
  /** Settles when the run has finished; never rejects. */
  done: Promise<void>;
}

export interface Worker {
  /** Releases abandoned claims (embedded mode), subscribes to wake-ups and starts the loop. */
  start(): Promise<void>;
  /** Stops claiming, then waits up to the grace period for runs in flight. */
  stop(): Promise<void>;
  /** New work may be due (as a notification says): makes the loop claim again now, from every source. */
  wake(): void;
  /** Claims what is due now, within the limits, and starts it; resolves once the claims are committed. */
  tick(): Promise<StartedRun[]>;
  /** Claims and runs until nothing is due and nothing runs: what tests and benchmarks await. */
  drain(): Promise<void>;
}

/** The first pause after a failed claim (the database went away); it doubles up to the poll interval. */
const FIRST_RETRY_MS = 250;

export function createWorker(options: WorkerOptions): Worker {
  const { sources, clock, logger } = options;
  const concurrency = options.concurrency ?? 64;
  const perKey = options.perKeyConcurrency ?? 4;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const shutdownGraceMs = options.shutdownGraceMs ?? 5_000;
  const claimant: Claimant = { processId: options.processId ?? null };

  const inFlight = new Set<Promise<void>>();
  /** The labels of each source's runs in flight: what an orphaned claims' release must leave alone. */
  const runningLabels = new Map<JobSource, Set<string>>();
  /** Sources whose last claim failed: it may have committed unseen (releaseOrphanedClaims). */
  const unsure = new Set<JobSource>();
  /** Runs finished so far: drain() tells from it whether runs ended during a claim. */
  let finishedRuns = 0;
  const busy = new Map<string, number>();
  /** Slots held by runs: at most `concurrency`. A run may free its slot before it settles. */
  let slotsTaken = 0;
  const abandon = new AbortController();
  let stopping = false;
  let woken = false;
  let interruptSleep: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  // Claims run one at a time, so two callers (the loop and a test's drain) never both fill the same slots.
  let claiming: Promise<unknown> = Promise.resolve();
  /**
   * For each source, the time (ms) before which claiming it would find nothing, as asked after a claim
   * that found nothing (for a scheduled-only source: after any claim that took fewer than offered).
   * The loop skips a quiet source. A notification (new work committed) ends the quiet of every source
   * but the scheduled-only ones, and a run finishing ends its own source's; each ending moves the
   * source's epoch on, so that a claim made meanwhile does not set a quiet from what it read before.
   */
  const quietUntil = new Map<JobSource, number>();
  const quietEpoch = new Map<JobSource, number>();

  function wake(): void {
    woken = true;
    interruptSleep?.();
  }

  function endQuiet(source: JobSource): void {
    quietUntil.delete(source);
    quietEpoch.set(source, (quietEpoch.get(source) ?? 0) + 1);
  }

  /** New work was committed somewhere: every source may have some. */
  function notified(): void {
    for (const source of sources) if (source.scheduledOnly !== true) endQuiet(source);
    wake();
  }

  function launch(source: JobSource, claimed: ClaimedRun): StartedRun {
    const { key, label } = claimed;
    busy.set(key, (busy.get(key) ?? 0) + 1);
    slotsTaken++;
    let slotFreed = false;
    // Freed by the run once it no longer needs the slot (job-source.ts), or when it settles.
    const freeSlot = () => {
      if (slotFreed) return;
      slotFreed = true;
      slotsTaken--;
      const left = (busy.get(key) ?? 1) - 1;
      if (left === 0) busy.delete(key);
      else busy.set(key, left);
      wake();
    };
    const labels = runningLabels.get(source) ?? new Set<string>();
    runningLabels.set(source, labels);
    labels.add(label);
    const done: Promise<void> = claimed
      .run(abandon.signal, freeSlot)
      .catch((error: unknown) => {
        logger.error({ err: error, job: source.name, label }, 'worker: a run failed unexpectedly');
      })
      .finally(() => {
        freeSlot();
        labels.delete(label);
        inFlight.delete(done);
        // What the run wrote may be due at once (a follow-up job); a probe's next one never is.
        if (source.scheduledOnly !== true) endQuiet(source);
        finishedRuns++;
        wake();
      });
    inFlight.add(done);
    return { key, label, done };
  }

  /**
   * One claim from every source. `full` says a source took every slot it was offered, so more may be
   * due now. A source that took fewer has nothing more it may start: what is left is held back by a
   * key's cap (a finishing run wakes the loop) or not due yet, and claiming again at once would only
   * repeat its queries. The loop's claims skip quiet sources; a claim asked for (tick, drain) skips only
   * quiet scheduled-only ones, since whoever asks may have written work without a notification.
   */
  async function claimOnce(caller: 'loop' | 'asked'): Promise<{ started: StartedRun[]; full: boolean }> {
    const started: StartedRun[] = [];
    let full = false;
    for (const source of sources) {
      const free = concurrency - slotsTaken;
      if (stopping || free <= 0) break;
      const quietApplies = caller === 'loop' || source.scheduledOnly === true;
      if (quietApplies && clock.now().getTime() < (quietUntil.get(source) ?? 0)) continue;
      const epoch = quietEpoch.get(source) ?? 0;
      await releaseOrphans(source);
      let claimed: ClaimedRun[];
      try {
        claimed = await source.claim({ total: free, perKey, busy }, claimant);
      } catch (error) {
        unsure.add(source);
        throw error;
      }
      if (claimed.length >= free) full = true;
      else if (source.scheduledOnly === true || claimed.length === 0) await rememberNextDue(source, epoch);
      else quietUntil.delete(source);
      for (const run of claimed) started.push(launch(source, run));
    }
    return { started, full };
  }

  async function releaseOrphans(source: JobSource): Promise<void> {
    if (!unsure.has(source) || claimant.processId === null) return;
    const running = [...(runningLabels.get(source) ?? [])];
    const released = (await source.releaseOrphanedClaims?.(claimant.processId, running, clock.now())) ?? 0;
    unsure.delete(source);
    if (released > 0)
      logger.warn({ job: source.name, released }, 'worker: released claims whose commit went unseen');
  }

  async function rememberNextDue(source: JobSource, epoch: number): Promise<void> {
    const next = (await source.nextDueAt())?.getTime() ?? Infinity;
    if ((quietEpoch.get(source) ?? 0) !== epoch) return;
    quietUntil.set(source, Math.min(next, clock.now().getTime() + pollIntervalMs));
  }

  /** When a source's next job falls due; a quiet source answers from what was last asked. */
  async function nextDueOf(source: JobSource): Promise<number> {
    return quietUntil.get(source) ?? (await source.nextDueAt())?.getTime() ?? Infinity;
  }

  function claimInTurn(caller: 'loop' | 'asked'): ReturnType<typeof claimOnce> {
    const next = claiming.catch(() => undefined).then(() => claimOnce(caller));
    claiming = next;
    return next;
  }

  const tick = async (): Promise<StartedRun[]> => (await claimInTurn('asked')).started;

  /** How long the loop may sleep after a claim that left nothing it could start. */
  async function idleDelay(): Promise<number> {
    // Full: a finishing run wakes the loop.
    if (slotsTaken >= concurrency) return pollIntervalMs;
    const next = Math.min(...(await Promise.all(sources.map(nextDueOf))));
    const wait = next - clock.now().getTime();
    // Due but not claimed means held back by a key's cap (a finishing run wakes the loop) or
    // claimed elsewhere in the meantime; either way there is nothing to gain from claiming again now.
    return wait > 0 ? wait : pollIntervalMs;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(finish, Math.min(ms, pollIntervalMs));
      timer.unref();
      interruptSleep = finish;
    });
  }

  async function runLoop(): Promise<void> {
    /** Consecutive failed claims: the pause before the next doubles with each (an outage), up to the poll interval. */
    let failures = 0;
    while (!stopping) {
      // Runs finishing in one turn of the event loop free their slots together: one claim fills them all.
      await afterPendingIo();
      woken = false;
      let delay: number;
      try {
        const { full } = await claimInTurn('loop');
        // Woken meanwhile: new work was committed during the claim, so claim again at once.
        delay = full || woken ? 0 : await idleDelay();
        if (failures > 0) logger.info({ failures }, 'worker: claiming works again');
        failures = 0;
      } catch (error) {
        failures++;
        delay = Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), pollIntervalMs);
        // Once per outage at error level; the retries that follow would only repeat it. An outage is
        // logged by its reason alone: a failed statement's message carries its values.
        const unavailable = isDatabaseUnavailable(error);
        logger[failures === 1 ? (unavailable ? 'warn' : 'error') : 'debug'](
          { ...(unavailable ? { reason: unavailableReason(error) } : { err: error }), retry_in_ms: delay },
          unavailable
            ? 'worker: the database is unavailable; claiming again with a growing pause'
            : 'worker: claiming failed; trying again with a growing pause',
        );
      }
      if (delay > 0 && !woken && !stopping) await sleep(delay);
    }
  }

  async function drain(): Promise<void> {
    for (;;) {
      const finishedBefore = finishedRuns;
      const started = await tick();
      // A run that finished while the claim was made may have freed a slot the claim found taken.
      if (started.length === 0 && inFlight.size === 0 && finishedRuns === finishedBefore) return;
      await Promise.all(inFlight);
    }
  }

  async function waitForRuns(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const finished = await Promise.race([Promise.all(inFlight).then(() => true), graceOver]);
    clearTimeout(timer);
    return finished;
  }

  return {
    async start() {
      if (options.ownsStore) {
        for (const source of sources) await source.releaseAbandonedClaims?.();
      }
      if (options.listen !== undefined) unlisten = await options.listen(notified);
      loop = runLoop();
    },

    async stop() {
      if (stopping) return;
      stopping = true;
      interruptSleep?.();
      await loop;
      await claiming.catch(() => undefined);
      await unlisten?.();
      if (!(await waitForRuns(shutdownGraceMs))) {
        logger.warn(
          { runs: inFlight.size, grace_ms: shutdownGraceMs },
          'worker: runs still in flight at shutdown are left to their leases',
        );
        abandon.abort();
      }
    },

    wake: notified,
    tick,
    drain,
  };
}
