/**
 * A CRM answering every lookup with the contract's reference customer after a fixed delay, in a worker
 * thread of its own so that its timers fire on time whatever the server in the main thread is doing.
 * It counts the calls per `phone` parameter.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startTsWorker } from './ts-worker.ts';
import customer from '../../packages/contract/src/crm/fixtures/sidePanel_CustomerInfo.full.json' with { type: 'json' };

export interface FakeCrmWorker {
  /** Where every path answers the customer, e.g. `${url}/crm/customer`. */
  url: string;
  callsFor(phone: string): Promise<number>;
  close(): Promise<void>;
}

type Request = { callsFor: string };

export async function startFakeCrmWorker(delayMs: number): Promise<FakeCrmWorker> {
  const worker = startTsWorker(new URL(import.meta.url), delayMs);
  const [port] = (await once(worker, 'message')) as [number];
  return {
    url: `http://127.0.0.1:${port}`,
    async callsFor(phone) {
      worker.postMessage({ callsFor: phone } satisfies Request);
      const [count] = (await once(worker, 'message')) as [number];
      return count;
    },
    async close() {
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const body = JSON.stringify(customer);
  const calls = new Map<string, number>();
  const server = createServer((req, res) => {
    const phone = new URL(req.url ?? '/', 'http://crm').searchParams.get('phone') ?? '';
    calls.set(phone, (calls.get(phone) ?? 0) + 1);
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
      workerData as number,
    );
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => port.postMessage((server.address() as AddressInfo).port));
  port.on('message', (message: Request) => port.postMessage(calls.get(message.callsFor) ?? 0));
}
