/**
 * A retry schedule: fixed delays after each failure, plus random jitter so that many jobs failing
 * together (a receiver that was down) do not all come back in the same second.
 */
export interface RetryPolicy {
  /** Attempts in one schedule: the first one plus one per delay. */
  readonly maxAttempts: number;
  /**
   * The wait before the next attempt once `failures` attempts of the schedule have failed, jitter
   * included; null when the schedule is used up. `random` returns a number in [0, 1).
   */
  delayAfter(failures: number, random: () => number): number | null;
}

export function createRetryPolicy(options: { delaysMs: readonly number[]; jitter: number }): RetryPolicy {
  const { delaysMs, jitter } = options;
  return {
    maxAttempts: delaysMs.length + 1,
    delayAfter(failures, random) {
      const base = delaysMs[failures - 1];
      if (base === undefined) return null;
      return base + Math.floor(base * jitter * random());
    },
  };
}
