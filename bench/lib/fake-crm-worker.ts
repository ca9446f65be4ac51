/**
 * A CRM answering every lookup with the contract's reference customer after a fixed delay, in a worker
 * thread of its own so that its timers fire on time whatever the server in the main thread is doing.
 * It counts the calls per `phone` parameter.
 *
 * It speaks just enough HTTP/1.1 for the panel benchmark over raw sockets (GET, keep-alive, one request
 * at a time per connection, a prepared response), so that on a 2-core machine its own CPU takes as
 * little as possible from the server being measured (http-load.ts says what the general ones cost).
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
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

/** The `phone` query parameter of a request line's target. */
const phoneOf = (target: string) => new URL(target, 'http://crm').searchParams.get('phone') ?? '';

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const body = Buffer.from(JSON.stringify(customer));
  const response = Buffer.concat([
    Buffer.from(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nKeep-Alive: timeout=60\r\n' +
        `Content-Length: ${body.length}\r\n\r\n`,
    ),
    body,
  ]);
  const calls = new Map<string, number>();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const [method, target] = head.split(' ', 2);
        if (method !== 'GET' || /\r\n(content-length|transfer-encoding):/i.test(head)) {
          socket.destroy(new Error(`the fake CRM answers bodiless GETs only, not: ${head.slice(0, 200)}`));
          return;
        }
        const phone = phoneOf(target ?? '/');
        calls.set(phone, (calls.get(phone) ?? 0) + 1);
        setTimeout(() => socket.write(response), workerData as number);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => port.postMessage((server.address() as AddressInfo).port));
  port.on('message', (message: Request) => port.postMessage(calls.get(message.callsFor) ?? 0));
}
