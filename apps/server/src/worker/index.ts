/** The generic worker; the job catalog (catalog.ts) is imported by the runtime only, since it imports the features. */
export { createHeartbeat, type Heartbeat, type HeartbeatOptions } from './heartbeat.ts';
export { pickWithinLimits, saturatedKeys, type ClaimLimits } from './limits.ts';
export { createPeriodicJobSource, type PeriodicDeps, type PeriodicJob } from './periodic.ts';
export { createRetryPolicy, type RetryPolicy } from './retry-policy.ts';
export { notifyWorkers, WAKE_CHANNEL } from './wake.ts';
export {
  createWorker,
  type Claimant,
  type ClaimedRun,
  type JobSource,
  type StartedRun,
  type Worker,
  type WorkerOptions,
} from './worker.ts';
