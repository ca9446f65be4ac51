/**
 * A webhook receiver as a real HTTP server on an ephemeral loopback port. Each request is kept
 * with its raw body and answered by a script (status, headers, body, or `hang` until released);
 * tests wait for the n-th request through a promise, never a timer.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw bytes received, what a signature covers. */
  body: Buffer;
  /** A header as one string (the fixture headers are never repeated). */
  header(name: string): string | undefined;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface WebhookReceiver {
  url(path?: string): string;
  requests: ReceivedRequest[];
  /** How each request is answered, by its index from 0; the default answers 200 "ok". */
  script(answer: (request: ReceivedRequest, index: number) => Answer): void;
  /** Resolves once `count` requests in total have arrived. */
  waitFor(count: number): Promise<ReceivedRequest>;
  /** Answers the requests left hanging, the oldest first: all of them, or the first `count`. */
  release(answer?: Exclude<Answer, 'hang'>, count?: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let answer: (request: ReceivedRequest, index: number) => Answer = () => ({ status: 200, body: 'ok' });
  const requests: ReceivedRequest[] = [];
  const hanging: ServerResponse[] = [];
  const waiters: Array<{ count: number; resolve: (request: ReceivedRequest) => void }> = [];

  const respond = (res: ServerResponse, reply: Exclude<Answer, 'hang'>) => {
    res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        header: (name) => {
          const value = req.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        },
      };
      requests.push(request);
      const reply = answer(request, requests.length - 1);
      if (reply === 'hang') hanging.push(res);
      else respond(res, reply);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(requests[waiter.count - 1] as ReceivedRequest);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path = '/hooks/parley') => `http://127.0.0.1:${port}${path}`,
    requests,
    script(next) {
      answer = next;
    },
    waitFor(count) {
      const arrived = requests[count - 1];
      if (arrived !== undefined) return Promise.resolve(arrived);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    release(reply = { status: 200, body: 'ok' }, count = hanging.length) {
      for (const res of hanging.splice(0, count)) if (!res.destroyed) respond(res, reply);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
