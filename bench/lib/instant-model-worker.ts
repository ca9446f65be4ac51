/**
 * The outside world of a Smart Follow-up run, answering at once, in a worker thread of its own so that
 * its CPU is not the server's: an OpenAI-compatible Chat Completions API (every POST gets one prepared
 * completion) and a CRM endpoint (every GET gets one prepared JSON answer). It records when each model
 * request arrived (epoch ms), from which a benchmark reads the time between two analyses.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startTsWorker } from './ts-worker.ts';

export interface InstantModel {
  /** What PARLEY_LLM_BASE_URL should be. */
  baseUrl: string;
  /** Where the CRM answer is served (any path). */
  crmUrl: string;
  /** Arrival times (epoch ms) of the requests so far, and forgets them. */
  takeArrivals(): Promise<number[]>;
  close(): Promise<void>;
}

interface Answers {
  /** The assistant message every model request gets. */
  content: string;
  /** The JSON every CRM request gets. */
  crm: unknown;
}

export async function startInstantModel(answers: Answers): Promise<InstantModel> {
  const worker = startTsWorker(new URL(import.meta.url), answers);
  const [port] = (await once(worker, 'message')) as [number];
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    crmUrl: `http://127.0.0.1:${port}/crm`,
    async takeArrivals() {
      worker.postMessage('take');
      const [arrivals] = (await once(worker, 'message')) as [number[]];
      return arrivals;
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const answers = workerData as Answers;
  const crmBody = JSON.stringify(answers.crm);
  const body = JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: answers.content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 },
  });
  let arrivals: number[] = [];
  const server = createServer((req, res) => {
    const isModel = req.method === 'POST';
    if (isModel) arrivals.push(performance.timeOrigin + performance.now());
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(isModel ? body : crmBody),
    );
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => port.postMessage((server.address() as AddressInfo).port));
  port.on('message', () => {
    port.postMessage(arrivals);
    arrivals = [];
  });
}
