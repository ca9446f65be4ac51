/** The webhook jobs the worker runs: deliveries, and probes of paused webhooks. */
import type { AppDeps } from '../../app-deps.ts';
import { retryWhileUnavailable } from '../../db/availability.ts';
import type { JobSource } from '../../lib/jobs/index.ts';
import { attemptDelivery } from './attempt.ts';
import { createAttemptRecorder, type RecordAttempt } from './attempt-results.ts';
import {
  claimDueDeliveries,
  DELIVERY_LEASE_MS,
  expireAllLeases,
  nextDeliveryDueAt,
  releaseClaimsOf,
  releaseOrphanedClaims,
} from './delivery-store.ts';
import { claimDueProbes, nextProbeDueAt } from './health-store.ts';
import { probeWebhook } from './probe.ts';

export interface WebhookJobOptions {
  /** Jitter source, [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** Results waiting to be written past which a delivery keeps its slot until its own is written. */
const MAX_RESULTS_WAITING = 256;

export function createWebhookJobSources(deps: AppDeps, options: WebhookJobOptions = {}): JobSource[] {
  const random = options.random ?? Math.random;
  const record = createAttemptRecorder(deps.db);
  return [
    {
      name: 'webhook-delivery',
      claim: async (limits, claimant) =>
        (await claimDueDeliveries(deps.db, deps.clock.now(), limits, claimant?.processId)).map((claimed) => ({
          key: claimed.shopId,
          label: claimed.eventId,
          run: async (signal, freeSlot) => {
            // Once sent, the attempt's result is known: an outage only delays writing it. Written within
            // the lease, no other process sends the event meanwhile; after it, the write is fenced.
            const recordThroughOutage: RecordAttempt = (attempt) =>
              retryWhileUnavailable(() => record(attempt), { giveUpAfterMs: DELIVERY_LEASE_MS, signal });
            // Its receiver has answered, so the run's slot may take another request while the result
            // is written; unless results already wait in numbers (a slow database): the run then
            // keeps its slot, and claims slow down to the pace of the writes.
            const freeSlotIfWritesKeepUp = () => {
              if (record.pending() < MAX_RESULTS_WAITING) freeSlot?.();
            };
            await attemptDelivery(deps, claimed, {
              random,
              signal,
              record: recordThroughOutage,
              onSent: freeSlotIfWritesKeepUp,
            });
          },
        })),
      nextDueAt: () => nextDeliveryDueAt(deps.db),
      releaseAbandonedClaims: () => expireAllLeases(deps.db, deps.clock.now()),
      releaseClaimsOf,
      releaseOrphanedClaims: (processId, running, now) =>
        releaseOrphanedClaims(deps.db, processId, running, now),
    },
    {
      name: 'webhook-probe',
      scheduledOnly: true,
      claim: async (limits) =>
        (await claimDueProbes(deps.db, deps.clock.now(), limits)).map((target) => ({
          key: target.shopId,
          label: `probe:${target.shopId}`,
          run: (signal) => probeWebhook(deps, target, signal),
        })),
      nextDueAt: () => nextProbeDueAt(deps.db),
    },
  ];
}
