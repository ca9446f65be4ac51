/**
 * The raw ceiling of a webhook benchmark: the same bodies to the same receiver, plain undici POSTs at
 * the same concurrency; no database, no signing, no outbound policy.
 */
import { Agent, Client } from 'undici';
import { measureConcurrent } from './stats.ts';
import { startCpuMeter } from './thread-cpu.ts';
import type { ReceiverWorker } from './webhook-receiver-worker.ts';

/**
 * `newConnectionEach` opens and closes a connection per request, to show what connection reuse is
 * worth; otherwise connections are kept alive.
 * `cpuUs` is the main thread's (the client's) CPU per request; the receiver runs in a worker thread.
 */
export async function postRaw(
  receiver: ReceiverWorker,
  bodies: readonly string[],
  { concurrency, newConnectionEach }: { concurrency: number; newConnectionEach: boolean },
) {
  await receiver.takeArrivals();
  const { origin, pathname } = new URL(receiver.url);
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });
  const headers = { 'content-type': 'application/json' };
  const post = async (body: string) => {
    const client = newConnectionEach ? new Client(origin) : undefined;
    try {
      const response = await (client ?? agent).request({
        origin,
        path: pathname,
        method: 'POST',
        headers,
        body,
      });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`the receiver answered ${response.statusCode}`);
    } finally {
      await client?.destroy();
    }
  };
  const cpuPer = startCpuMeter();
  const result = await measureConcurrent((i) => post(bodies[i] ?? ''), { total: bodies.length, concurrency });
  const cpuUs = cpuPer(bodies.length);
  await receiver.waitForEvents(bodies.length);
  await agent.close();
  return { ...result, cpuUs };
}
