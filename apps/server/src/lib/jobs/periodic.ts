/**
 * A job that runs on a timer rather than from rows: housekeeping each process does on its own (the
 * lookup audit's retention, the embedded database's vacuum). It is first due `firstAfterMs` after the
 * source is made, at start, so a process that restarts often does not redo it each time; then every
 * `everyMs` from the start of the last run. One run at a time: a run that outlasts the interval is
 * not joined by another. A failed run is logged as a warning (it is housekeeping: the next run
 * catches up), and the job logs what a run did itself.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { JobSource } from './job-source.ts';

/** What every periodic job takes from the app: its clock and logger. */
export interface PeriodicDeps {
  clock: Clock;
  logger: Logger;
}

export interface PeriodicJob {
  name: string;
  firstAfterMs: number;
  everyMs: number;
  run(signal: AbortSignal): Promise<void>;
}

async function runLogged(deps: PeriodicDeps, job: PeriodicJob, signal: AbortSignal): Promise<void> {
  try {
    await job.run(signal);
  } catch (error) {
    deps.logger.warn(
      { err: error, job: job.name },
      `${job.name} failed; it runs again in ${Math.round(job.everyMs / 60_000)} min`,
    );
  }
}

export function createPeriodicJobSource(deps: PeriodicDeps, job: PeriodicJob): JobSource {
  let nextAt = deps.clock.now().getTime() + job.firstAfterMs;
  return {
    name: job.name,
    scheduledOnly: true,
    async claim(limits) {
      const now = deps.clock.now().getTime();
      if (now < nextAt || (limits.busy.get(job.name) ?? 0) > 0) return [];
      nextAt = now + job.everyMs;
      return [{ key: job.name, label: job.name, run: (signal) => runLogged(deps, job, signal) }];
    },
    async nextDueAt() {
      return new Date(nextAt);
    },
  };
}
