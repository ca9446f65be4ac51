/** Jobs as features define them; the worker (apps/server/src/worker/) claims and runs them. */
export type { Claimant, ClaimedRun, JobSource } from './job-source.ts';
export { pickWithinLimits, saturatedKeys, type ClaimLimits } from './limits.ts';
export { createPeriodicJobSource, type PeriodicDeps, type PeriodicJob } from './periodic.ts';
export { createRetryPolicy, type RetryPolicy } from './retry-policy.ts';
