/**
 * A webhook receiver that answers 200 at once, in a worker thread of its own: its work is not counted
 * as the server's, and its answers are not held up by the server's event loop. It notes when each
 * event first arrived, keyed by the phone in its data (unique per benchmark event), in milliseconds
 * since the epoch with sub-millisecond precision, so the times compare across threads.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort } from 'node:worker_threads';
import { epochMs } from './stats.ts';
import { startTsWorker } from './ts-worker.ts';

export interface ReceiverWorker {
  url: string;
  /** Resolves once `count` distinct events have arrived since the last `takeArrivals`. */
  waitForEvents(count: number): Promise<void>;
  /** When each event first arrived, by phone; starts counting afresh. */
  takeArrivals(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

type Request = { kind: 'wait'; count: number } | { kind: 'take' };

export async function startReceiverWorker(): Promise<ReceiverWorker> {
  const worker = startTsWorker(new URL(import.meta.url), null);
  const [port] = (await once(worker, 'message')) as [number];
  const ask = async <T>(request: Request): Promise<T> => {
    worker.postMessage(request);
    return ((await once(worker, 'message')) as [T])[0];
  };
  return {
    url: `http://127.0.0.1:${port}/hooks/parley`,
    waitForEvents: (count) => ask({ kind: 'wait', count }),
    takeArrivals: async () => new Map(await ask<Array<[string, number]>>({ kind: 'take' })),
    close: async () => {
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  let arrivals = new Map<string, number>();
  let waiting: number | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = epochMs();
      res.writeHead(200).end();
      const { data } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { phone: string } };
      if (!arrivals.has(data.phone)) arrivals.set(data.phone, at);
      if (waiting !== undefined && arrivals.size >= waiting) {
        waiting = undefined;
        port.postMessage(null);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => port.postMessage((server.address() as AddressInfo).port));
  port.on('message', (request: Request) => {
    if (request.kind === 'take') {
      port.postMessage([...arrivals]);
      arrivals = new Map();
    } else if (arrivals.size >= request.count) {
      port.postMessage(null);
    } else {
      waiting = request.count;
    }
  });
}
