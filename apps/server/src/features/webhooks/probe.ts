/**
 * The probe of a paused webhook: a signed `test` event, not stored (it is no delivery). A 2xx
 * resumes the webhook and its backlog is sent at once; anything else waits for the next probe.
 */
import type { AppDeps } from '../../app-deps.ts';
import { serializeEvent } from './event-body.ts';
import { applyAttemptsToHealth, type ProbeTarget } from './health-store.ts';
import { sendToStoredTarget } from './send.ts';

export async function probeWebhook(
  deps: Pick<AppDeps, 'db' | 'outbound' | 'clock' | 'version' | 'secrets' | 'logger'>,
  target: ProbeTarget,
  signal: AbortSignal,
): Promise<void> {
  const event = serializeEvent(
    'test',
    {
      shop_id: target.shopId,
      probe: true,
      message:
        'Parley paused this webhook after failed deliveries. Answer this test event with a 2xx to resume delivery of the stored events.',
    },
    deps.clock.now(),
  );
  const sent = await sendToStoredTarget(deps, target, { ...event, attempt: 1 });
  if (signal.aborted) return;
  const now = deps.clock.now();
  const {
    changes: [health = null],
  } = await deps.db.transaction((tx) =>
    applyAttemptsToHealth(tx, [{ shopId: target.shopId, url: target.url, ...sent.outcome, now }]),
  );
  const resumed = health !== null && health.before.pausedAt !== null && health.after.pausedAt === null;
  deps.logger.info(
    { shopId: target.shopId, resumed, error: sent.outcome.error },
    resumed ? 'webhook probe succeeded; delivery resumed' : 'webhook probe failed; still paused',
  );
}
