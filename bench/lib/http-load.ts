/**
 * An HTTP load generator that runs in a worker thread, so the client's own work does not share the
 * event loop (or look like the cost) of the server measured in the main thread. `runHttpLoad` starts
 * one for a list of URLs and resolves with throughput and latency percentiles.
 *
 * It speaks just enough HTTP/1.1 for these benchmarks, over raw keep-alive sockets: a prepared GET per
 * URL, and a response read by its Content-Length. An undici client and a `node:http` fake CRM cost the
 * machine ~850 µs of CPU per panel lookup together (process CPU minus the server thread's), as much as
 * the server being measured; these raw ones ~500 µs. On a 2-core machine that CPU is taken from the
 * server: the harness's own cost would have shown up as Parley's latency.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { measureConcurrent, type Percentiles } from './stats.ts';
import { startTsWorker } from './ts-worker.ts';

export interface HttpLoad {
  urls: readonly string[];
  concurrency: number;
  headers?: Record<string, string>;
  /** Headers of one URL (same index), added to `headers`: e.g. each shop's own token. */
  urlHeaders?: readonly Record<string, string>[];
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

interface Answer {
  status: number;
  body: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection carrying one request at a time. */
class Connection {
  readonly #socket: Socket;
  #buffered: Buffer = Buffer.alloc(0);
  #waiting: { resolve(answer: Answer): void; reject(error: Error): void } | undefined;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
      this.#answer();
    });
    const fail = (error: Error) => this.#waiting?.reject(error);
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the server closed the connection')));
  }

  static async open(url: URL): Promise<Connection> {
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    return new Connection(socket);
  }

  send(request: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(request, 'latin1');
    });
  }

  close() {
    this.#socket.destroy();
  }

  /** Resolves the waiting request once its whole response is in (a body by Content-Length only). */
  #answer() {
    const headEnd = this.#buffered.indexOf(HEAD_END);
    if (headEnd === -1 || this.#waiting === undefined) return;
    const head = this.#buffered.subarray(0, headEnd).toString('latin1');
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (length === undefined) {
      this.#waiting.reject(new Error(`a response without Content-Length: ${head.slice(0, 300)}`));
      return;
    }
    const end = headEnd + HEAD_END.length + Number(length);
    if (this.#buffered.length < end) return;
    const body = this.#buffered.subarray(headEnd + HEAD_END.length, end).toString('utf8');
    this.#buffered = this.#buffered.subarray(end);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting.resolve({ status: Number(head.slice(9, 12)), body });
  }
}

/** The request as sent, prepared before the clock starts. */
function getRequest(url: URL, headers: Record<string, string>): string {
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

async function generate(load: HttpLoad): Promise<HttpLoadResult> {
  const { urls, concurrency, headers, urlHeaders, expect, warmup } = load;
  const parsed = urls.map((url) => new URL(url));
  const origin = parsed[0]?.origin;
  if (origin === undefined || parsed.some((url) => url.origin !== origin || url.protocol !== 'http:')) {
    throw new Error('every URL of one load must share one http: origin');
  }
  const requests = parsed.map((url, i) => getRequest(url, { ...headers, ...urlHeaders?.[i] }));
  const connections = await Promise.all(
    Array.from({ length: concurrency }, () => Connection.open(parsed[0] as URL)),
  );
  const idle = [...connections];
  const send = async (request: string) => {
    const connection = idle.pop();
    if (connection === undefined) throw new Error('more requests in flight than connections');
    const { status, body } = await connection.send(request);
    idle.push(connection);
    if (status !== 200 || !body.includes(expect)) {
      throw new Error(`${request.split(' ')[1]} answered ${status}: ${body.slice(0, 300)}`);
    }
  };
  const warm = requests.slice(0, warmup);
  const measured = requests.slice(warmup);
  await measureConcurrent((i) => send(warm[i] ?? ''), { total: warm.length, concurrency });
  const result = await measureConcurrent((i) => send(measured[i] ?? ''), {
    total: measured.length,
    concurrency,
  });
  for (const connection of connections) connection.close();
  return result;
}

if (!isMainThread && parentPort !== null) {
  parentPort.postMessage(await generate(workerData as HttpLoad));
}
