/** The webhook jobs the worker runs: deliveries, and probes of paused webhooks. */
import type { AppDeps } from '../../app-deps.ts';
import type { JobSource } from '../../worker/index.ts';
import { attemptDelivery, createAttemptRecorder } from './attempt.ts';
import { claimDueDeliveries, expireAllLeases, nextDeliveryDueAt } from './delivery-store.ts';
import { claimDueProbes, nextProbeDueAt } from './health-store.ts';
import { probeWebhook } from './probe.ts';

export interface WebhookJobOptions {
  /** Jitter source, [0, 1); tests pass a fixed one. */
  random?: () => number;
}

export function createWebhookJobSources(deps: AppDeps, options: WebhookJobOptions = {}): JobSource[] {
  const random = options.random ?? Math.random;
  const record = createAttemptRecorder(deps.db);
  return [
    {
      name: 'webhook-delivery',
      claim: async (limits) =>
        (await claimDueDeliveries(deps.db, deps.clock.now(), limits)).map((claimed) => ({
          key: claimed.shopId,
          label: claimed.eventId,
          run: async (signal) => {
            await attemptDelivery(deps, claimed, { random, signal, record });
          },
        })),
      nextDueAt: () => nextDeliveryDueAt(deps.db),
      releaseAbandonedClaims: () => expireAllLeases(deps.db, deps.clock.now()),
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
