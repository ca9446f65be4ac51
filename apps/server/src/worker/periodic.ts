/**
 * A job that runs on a timer rather than from rows: housekeeping each process does on its own (the
 * lookup audit's retention, the embedded database's vacuum). It is first due `firstAfterMs` after the
 * source is made, at start, so a process that restarts often does not redo it each time; then every
 * `everyMs` from the start of the last run. One run at a time: a run that outlasts the interval is
 * not joined by another. A run logs its own failures; the next one tries again.
 */
import type { Clock } from '../lib/clock.ts';
import type { JobSource } from './worker.ts';

export interface PeriodicJob {
  name: string;
  clock: Clock;
  firstAfterMs: number;
  everyMs: number;
  run(signal: AbortSignal): Promise<void>;
}

export function createPeriodicJobSource(job: PeriodicJob): JobSource {
  let nextAt = job.clock.now().getTime() + job.firstAfterMs;
  return {
    name: job.name,
    scheduledOnly: true,
    async claim(limits) {
      const now = job.clock.now().getTime();
      if (now < nextAt || (limits.busy.get(job.name) ?? 0) > 0) return [];
      nextAt = now + job.everyMs;
      return [{ key: job.name, label: job.name, run: job.run }];
    },
    async nextDueAt() {
      return new Date(nextAt);
    },
  };
}
