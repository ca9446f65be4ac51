/**
 * What a job source is to the worker (apps/server/src/worker/worker.ts): features define their jobs
 * against these types, and the worker, an adapter, runs them. docs/architecture.md explains the split.
 */
import type { Tx } from '../../db/database.ts';
import type { ClaimLimits } from './limits.ts';

export interface ClaimedRun {
  /** The concurrency key (a shop): at most `perKeyConcurrency` runs of one key at once. */
  key: string;
  /** What the run is about (an event id), for logs and tests. */
  label: string;
  /**
   * Does the work and records its result; must not throw for an expected failure. `signal` aborts
   * when the worker gives up on the run at shutdown: from then on it must write nothing, and its
   * claim is left to expire (or to the restart, in embedded mode). `freeSlot` (the worker always passes
   * it) says the run no longer needs its slot: a delivery whose request was answered has only its
   * result left to write, and the slot and its key's count may go to the next claim meanwhile. The run
   * still counts for drain and shutdown until it settles.
   */
  run(signal: AbortSignal, freeSlot?: () => void): Promise<void>;
}

/** Who claims: what a source writes on its claims so that they can be released if this process dies. */
export interface Claimant {
  /** This process's heartbeat id (heartbeat.ts); null in embedded mode, where a restart releases everything. */
  processId: string | null;
}

export interface JobSource {
  name: string;
  /**
   * Claims due jobs within `limits` and commits the claims before resolving. The worker always says
   * who claims; a test calling a source directly may leave it out (no heartbeat id on the claims).
   */
  claim(limits: ClaimLimits, claimant?: Claimant): Promise<ClaimedRun[]>;
  /**
   * True when its jobs are always scheduled ahead (probes), never due the moment they are created:
   * new work committed is then no reason to claim from it. The worker claims it when its next due
   * time, as last asked, has come, and asks again at least every poll interval, since another
   * process may have scheduled an earlier job.
   */
  scheduledOnly?: boolean;
  /** When the next job falls due (a claim's lease end included), or null when none is scheduled. */
  nextDueAt(): Promise<Date | null>;
  /** Embedded mode: claims in the store belong to a process that is gone; make their jobs due now. */
  releaseAbandonedClaims?(): Promise<void>;
  /**
   * Shared PostgreSQL: these processes stopped beating (heartbeat.ts); make the jobs they had claimed
   * due now, in `tx`. Returns how many were released.
   */
  releaseClaimsOf?(tx: Tx, processIds: readonly string[], now: Date): Promise<number>;
  /**
   * Shared PostgreSQL, after a claim of this source failed: its COMMIT may have reached the database
   * with only the answer lost (the connection broke right then), leaving jobs claimed by this process
   * that no run works on. Makes due now the jobs claimed by `processId` other than the `running` ones
   * (their labels). Returns how many.
   */
  releaseOrphanedClaims?(processId: string, running: readonly string[], now: Date): Promise<number>;
}
