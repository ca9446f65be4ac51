/**
 * An HTTP load generator that runs in a worker thread, so the client's own work does not share the
 * event loop (or look like the cost) of the server measured in the main thread. `runHttpLoad` starts
 * one for a list of URLs and resolves with throughput and latency percentiles.
 */
import { once } from 'node:events';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Agent, request } from 'undici';
import { measureConcurrent, type Percentiles } from './stats.ts';
import { startTsWorker } from './ts-worker.ts';

export interface HttpLoad {
  urls: readonly string[];
  concurrency: number;
  headers?: Record<string, string>;
  /** Text every response body must contain (a 200 with the wrong answer is a failed run). */
  expect: string;
  /** Requests sent first, unmeasured: JIT and keep-alive connections. */
  warmup: number;
}

export type HttpLoadResult = Percentiles & { perSecond: number };

export async function runHttpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  const worker = startTsWorker(new URL(import.meta.url), load);
  const [result] = (await once(worker, 'message')) as [HttpLoadResult];
  await worker.terminate();
  return result;
}

async function generate({ urls, concurrency, headers, expect, warmup }: HttpLoad): Promise<HttpLoadResult> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });
  const send = async (url: string) => {
    const response = await request(url, { dispatcher: agent, headers });
    const body = await response.body.text();
    if (response.statusCode !== 200 || !body.includes(expect)) {
      throw new Error(`${url} answered ${response.statusCode}: ${body.slice(0, 300)}`);
    }
  };
  const warm = urls.slice(0, warmup);
  const measured = urls.slice(warmup);
  await measureConcurrent((i) => send(warm[i] ?? ''), { total: warm.length, concurrency });
  const result = await measureConcurrent((i) => send(measured[i] ?? ''), {
    total: measured.length,
    concurrency,
  });
  await agent.close();
  return result;
}

if (!isMainThread && parentPort !== null) {
  parentPort.postMessage(await generate(workerData as HttpLoad));
}
