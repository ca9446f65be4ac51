/**
 * Conversation intake at a steady rate, from a worker thread: requests leave on schedule whatever the
 * server (in the main thread) is doing, and the client's work is not counted as the server's. Each
 * request posts one message that writes one new phone number, so it detects exactly one phone.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Agent, request } from 'undici';
import { epochMs } from './stats.ts';
import { startTsWorker } from './ts-worker.ts';

export interface PacedIntake {
  baseUrl: string;
  token: string;
  chatPhone: string;
  /** The phones to write, one per request, in order. */
  phones: readonly string[];
  perSecond: number;
}

export interface PacedIntakeResult {
  /** When each phone's request left, in ms since the epoch (comparable across threads). */
  sentAt: Array<[string, number]>;
  /** The rate achieved while sending. */
  perSecond: number;
}

export async function sendPacedIntake(intake: PacedIntake): Promise<PacedIntakeResult> {
  const worker = startTsWorker(new URL(import.meta.url), intake);
  const [result] = (await once(worker, 'message')) as [PacedIntakeResult | { error: string }];
  await worker.terminate();
  if ('error' in result) throw new Error(result.error);
  return result;
}

async function send({
  baseUrl,
  token,
  chatPhone,
  phones,
  perSecond,
}: PacedIntake): Promise<PacedIntakeResult> {
  // An overloaded server answers late: that is what is measured, so only give up after minutes.
  const agent = new Agent({
    keepAliveTimeout: 60_000,
    connect: { timeout: 120_000 },
    headersTimeout: 300_000,
    bodyTimeout: 300_000,
  });
  const post = async (index: number, phone: string) => {
    const response = await request(`${baseUrl}/api/conversations/messages`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        chat_phone: chatPhone,
        messages: [
          {
            id: `paced-${index}`,
            direction: 'in',
            text: `Mi otro número es ${phone}, gracias`,
            sent_at: new Date().toISOString(),
          },
        ],
      }),
    });
    const answer = (await response.body.json()) as { detected_phones?: unknown[] };
    if (response.statusCode !== 200 || answer.detected_phones?.length !== 1) {
      throw new Error(`intake answered ${response.statusCode}: ${JSON.stringify(answer)}`);
    }
  };
  const sentAt: Array<[string, number]> = [];
  const posts: Array<Promise<void>> = [];
  const started = performance.now();
  for (const [index, phone] of phones.entries()) {
    // Open loop: each request leaves at its slot whether or not the previous ones have answered.
    const wait = started + (index * 1000) / perSecond - performance.now();
    if (wait > 0) await delay(wait);
    sentAt.push([phone, epochMs()]);
    posts.push(post(index, phone));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(posts);
  await agent.close();
  return { sentAt, perSecond: phones.length / seconds };
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  send(workerData as PacedIntake).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}
