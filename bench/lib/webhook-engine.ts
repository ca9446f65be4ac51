/**
 * Parley's webhook engine driven for a benchmark, through its public surfaces: a runtime as
 * `npm start` builds it, shops whose webhook points at the receiver (configure_webhooks over MCP),
 * a backlog drained by the runtime's own worker, and intake over HTTP at a steady rate.
 */
import { inArray, ne } from 'drizzle-orm';
import type { DatabaseKind } from '../../apps/server/src/db/database.ts';
import { webhookConfigs, webhookDeliveries } from '../../apps/server/src/db/schema.ts';
import { createShop } from '../../apps/server/src/features/shops/index.ts';
import { recordWebhookEvent } from '../../apps/server/src/features/webhooks/index.ts';
import type { Runtime } from '../../apps/server/src/runtime.ts';
import { callTool, textOf } from '../../apps/server/test/helpers/mcp.ts';
import { sendPacedIntake } from './paced-intake-worker.ts';
import { startParley } from './parley.ts';
import { percentiles } from './stats.ts';
import { startCpuMeter } from './thread-cpu.ts';
import type { ReceiverWorker } from './webhook-receiver-worker.ts';

/** Distinct valid Spanish mobile numbers: the receiver tells events apart by their phone. */
export const phoneNumber = (i: number) => `+346${String(i).padStart(8, '0')}`;

export interface Shop {
  shopId: string;
  token: string;
}

/** A runtime for the webhook benchmarks: MCP's rate limit out of the way of configure_webhooks. */
export const startWebhookParley = (kind: DatabaseKind, postgresUrl: string) =>
  startParley(kind, { postgresUrl, env: { PARLEY_MCP_RATE_LIMIT: '1000000' } });

async function call(runtime: Runtime, token: string, tool: string, args: Record<string, unknown>) {
  const result = await callTool(runtime.app, token, tool, args);
  if (result.isError === true) throw new Error(`${tool}: ${textOf(result)}`);
}

export async function addShop(runtime: Runtime, receiverUrl: string, name: string): Promise<Shop> {
  const { shop, token } = await createShop(runtime.deps, {
    name,
    country: 'ES',
    timezone: 'Europe/Madrid',
    locale: 'es-ES',
  });
  await call(runtime, token, 'configure_webhooks', {
    webhook_enabled: true,
    webhook_url: receiverUrl,
    webhook_secret: 'bench-webhook-secret',
    webhook_events: ['phone.detected'],
    confirm: true,
  });
  return { shopId: shop.id, token };
}

/** Runs `task(0..count-1)` from `parallel` loops. */
async function inParallel(count: number, parallel: number, task: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * Records `count` events (phones from `firstPhone` on) while the shops' webhooks are paused, then
 * resumes them all at once and times the runtime's worker until every result is recorded; and the
 * main thread's CPU per delivery (Parley's: the receiver runs in a worker thread).
 */
export async function drainBacklog(
  runtime: Runtime,
  receiver: ReceiverWorker,
  shops: readonly Shop[],
  count: number,
  firstPhone: number,
) {
  const { db } = runtime.deps;
  const now = runtime.deps.clock.now();
  // Paused as a 410 would pause them: events are recorded, none is sent.
  await db
    .update(webhookConfigs)
    .set({ pausedAt: now, pauseReason: 'gone', nextProbeAt: new Date(now.getTime() + 86_400_000) })
    .where(
      inArray(
        webhookConfigs.shopId,
        shops.map((shop) => shop.shopId),
      ),
    );
  await inParallel(count, 8, async (i) => {
    const shop = shops[i % shops.length] as Shop;
    const data = {
      phone: phoneNumber(firstPhone + i),
      detected_at: now.toISOString(),
      shop_id: shop.shopId,
      conversation_hash: 'c0ffee'.repeat(11).slice(0, 64),
      source: 'message',
      chat_phone: phoneNumber(9_000_000),
    };
    await db.transaction((tx) =>
      recordWebhookEvent(tx, runtime.deps, { shopId: shop.shopId, event: 'phone.detected', data }),
    );
  });
  await receiver.takeArrivals();

  const cpuPer = startCpuMeter();
  const started = performance.now();
  // Configuring a paused webhook resumes it: its backlog is due at once and the workers are woken.
  await Promise.all(
    shops.map((shop) =>
      call(runtime, shop.token, 'configure_webhooks', { webhook_enabled: true, confirm: true }),
    ),
  );
  await receiver.waitForEvents(count);
  await runtime.worker.drain();
  const seconds = (performance.now() - started) / 1000;
  const cpuUs = cpuPer(count);
  const undelivered = await db.$count(webhookDeliveries, ne(webhookDeliveries.status, 'delivered'));
  if (undelivered > 0) throw new Error(`${undelivered} deliveries were not delivered`);
  return { perSecond: count / seconds, seconds, cpuUs };
}

/**
 * Intake at a steady `perSecond` for `seconds` to the server at `baseUrl`, each request detecting one
 * new phone in `shop` (a fresh one: its chat's first message is sent first); the latency of each event
 * from sending its request to its receipt, and the server's CPU per event (intake and delivery).
 */
export async function steadyLatency(
  baseUrl: string,
  receiver: ReceiverWorker,
  shop: Shop,
  { perSecond, seconds }: { perSecond: number; seconds: number },
) {
  const chatPhone = phoneNumber(8_000_000);
  // The chat's own number is detected by its first message: delivered before timing starts.
  const hello = await fetch(`${baseUrl}/api/conversations/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shop.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      chat_phone: chatPhone,
      messages: [{ id: 'hello', direction: 'in', text: 'Hola', sent_at: new Date().toISOString() }],
    }),
  });
  if (hello.status !== 200) throw new Error(`intake answered ${hello.status}: ${await hello.text()}`);
  await receiver.waitForEvents(1);
  await receiver.takeArrivals();

  const phones = Array.from({ length: perSecond * seconds }, (_, i) => phoneNumber(7_000_000 + i));
  const cpuPer = startCpuMeter();
  const sent = await sendPacedIntake({ baseUrl, token: shop.token, chatPhone, phones, perSecond });
  await receiver.waitForEvents(phones.length);
  const cpuUs = cpuPer(phones.length);
  const arrivals = await receiver.takeArrivals();
  const samples = sent.sentAt.map(([phone, at]) => (arrivals.get(phone) ?? NaN) - at);
  return { ...percentiles(samples), perSecond: sent.perSecond, cpuUs };
}
