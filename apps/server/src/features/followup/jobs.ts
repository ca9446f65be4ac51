/**
 * Smart Follow-up's worker jobs: scheduled runs starting, runs being worked on (and resumed after a
 * process died), follow-ups falling due and being tracked, and the poll for customer replies.
 */
import type { AppDeps } from '../../app-deps.ts';
import { createPeriodicJobSource, type JobSource } from '../../lib/jobs/index.ts';
import { executeRun } from './run.ts';
import {
  claimRuns,
  nextRunDueAt,
  nextScheduledRunAt,
  releaseOrphanedRunClaims,
  releaseRunClaimsOf,
  releaseRunLeases,
  startScheduledRuns,
} from './runs-store.ts';
import { claimChecks, markReplies, nextCheckDueAt, runCheck } from './tracking.ts';

/** How soon a customer's reply to a follow-up is noticed. */
const REPLY_POLL_MS = 60_000;

export function createFollowupJobSources(deps: AppDeps): JobSource[] {
  return [
    {
      name: 'followup-schedule',
      scheduledOnly: true,
      // Starting runs is the whole job: the run rows it writes are claimed by `followup-run`.
      claim: async () => {
        await startScheduledRuns(deps.db, deps.clock.now());
        return [];
      },
      nextDueAt: () => nextScheduledRunAt(deps.db),
    },
    {
      name: 'followup-run',
      claim: async (limits, claimant) =>
        (await claimRuns(deps.db, deps.clock.now(), limits, claimant?.processId)).map((run) => ({
          key: run.shopId,
          label: run.id,
          run: (signal) => executeRun(deps, run, signal),
        })),
      nextDueAt: () => nextRunDueAt(deps.db),
      releaseAbandonedClaims: () => releaseRunLeases(deps.db),
      releaseClaimsOf: (tx, processIds) => releaseRunClaimsOf(tx, processIds),
      releaseOrphanedClaims: (processId, running) => releaseOrphanedRunClaims(deps.db, processId, running),
    },
    {
      name: 'followup-check',
      claim: async (limits) =>
        (await claimChecks(deps.db, deps.clock.now(), limits)).map((check) => ({
          key: check.row.shopId,
          label: check.row.id,
          run: () => runCheck(deps, check),
        })),
      nextDueAt: () => nextCheckDueAt(deps.db),
    },
    createPeriodicJobSource(deps, {
      name: 'followup-replies',
      firstAfterMs: REPLY_POLL_MS,
      everyMs: REPLY_POLL_MS,
      run: async () => {
        const replied = await markReplies(deps);
        if (replied > 0) deps.logger.info({ replied }, 'follow-ups replied to');
      },
    }),
  ];
}
