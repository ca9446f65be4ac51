/**
 * The runtime's worker in embedded mode: woken by the commit of a recorded event (it polls only
 * once an hour here, so nothing else could explain the delivery), and after a restart with an
 * attempt in flight it re-queues that delivery at once instead of waiting for the lease to end.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { createShop } from '../src/features/shops/index.ts';
import { recordWebhookEvent } from '../src/features/webhooks/index.ts';
import { createManualClock } from '../src/lib/clock.ts';
import { startRuntime, type Runtime, type RuntimeOptions } from '../src/runtime.ts';
import { callTool } from './helpers/mcp.ts';
import { startWebhookReceiver } from './helpers/webhook-receiver.ts';
import type { DeliveryPage } from './helpers/webhooks.ts';

// Embedded mode only (hence .pglite.test.ts): on PostgreSQL a lost claim waits for its lease,
// which webhooks-worker.test.ts covers.
test(
  'a recorded event wakes the running worker; a restart re-queues the attempt in flight at once',
  { timeout: 120_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-webhooks-restart-'));
    const receiver = await startWebhookReceiver();
    receiver.script((_request, index) => (index === 0 ? 'hang' : { status: 200 }));
    const config = loadConfig({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
      PARLEY_LOG_LEVEL: 'silent',
      PARLEY_DISABLE_DEMO: 'true',
    });
    // The clock never moves: the lease cannot be what frees the claim.
    const options: RuntimeOptions = {
      clock: createManualClock(new Date('2026-03-02T10:00:00Z')),
      worker: { random: () => 0, pollIntervalMs: 3_600_000, shutdownGraceMs: 0 },
    };
    let runtime: Runtime | undefined = await startRuntime(config, options);
    try {
      const { shop, token } = await createShop(runtime.deps, {
        name: 'Restart shop',
        country: 'ES',
        timezone: 'Europe/Madrid',
        locale: 'es-ES',
      });
      const configured = await callTool(runtime.app, token, 'configure_webhooks', {
        webhook_enabled: true,
        webhook_url: receiver.url(),
        webhook_events: ['phone.detected'],
        confirm: true,
      });
      assert.equal(configured.isError, undefined);

      const { deps } = runtime;
      const recorded = await deps.db.transaction((tx) =>
        recordWebhookEvent(tx, deps, {
          shopId: shop.id,
          event: 'phone.detected',
          data: { phone: '+34600123456' },
        }),
      );
      assert.ok(recorded !== null);
      const first = await receiver.waitFor(1);
      assert.equal(first.header('x-webhook-id'), recorded.eventId);

      // Closed while that attempt hangs: the grace period is over at once and the claim stays behind.
      await runtime.close();
      runtime = undefined;
      runtime = await startRuntime(config, options);

      const second = await receiver.waitFor(2);
      assert.equal(second.header('x-webhook-id'), recorded.eventId);
      assert.equal(second.header('x-webhook-attempt'), '2');
      assert.ok(second.body.equals(first.body), 'the same bytes');
      await runtime.worker.drain();

      const listed = await callTool(runtime.app, token, 'list_webhook_deliveries', {});
      const [delivery] = (listed.structuredContent as unknown as DeliveryPage).deliveries;
      assert.equal(delivery?.status, 'delivered');
      assert.deepEqual(
        delivery?.attempts.map((a) => [a.attempt, a.outcome]),
        [
          [1, 'interrupted'],
          [2, 'delivered'],
        ],
      );
    } finally {
      await runtime?.close();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
