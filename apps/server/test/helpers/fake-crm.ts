/**
 * A business's CRM for tests: a real HTTP server on an ephemeral 127.0.0.1 port. By default it
 * serves the contract's example answers at `/crm/<type>`; a test scripts any path (status, JSON or
 * raw bytes, a redirect, an answer held back until a promise settles). It records every request as
 * received, and checks X-Parley-Signature with verifyCrmRequest once given the shop's secret.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CrmEndpointType } from '@parley/contract';
import { verifyCrmRequest, type VerifyFailure } from '@parley/webhooks';
import aiCustomerInitialInfo from '../../../../packages/contract/src/crm/fixtures/ai_CustomerInitialInfo.json' with { type: 'json' };
import globalSearch from '../../../../packages/contract/src/crm/fixtures/globalSearch.json' with { type: 'json' };
import searchProducts from '../../../../packages/contract/src/crm/fixtures/search_Products.json' with { type: 'json' };
import findToJoin from '../../../../packages/contract/src/crm/fixtures/sidePanel_CustomerFindToJoin.json' with { type: 'json' };
import customerInfo from '../../../../packages/contract/src/crm/fixtures/sidePanel_CustomerInfo.full.json' with { type: 'json' };
import notFound from '../../../../packages/contract/src/crm/fixtures/sidePanel_CustomerInfo.not-found.json' with { type: 'json' };

/** The contract's example answer per type (verify_conversion has none there, so one is made up here). */
export const crmFixtures = {
  sidePanel_CustomerInfo: customerInfo,
  ai_CustomerInitialInfo: aiCustomerInitialInfo,
  sidePanel_CustomerFindToJoin: findToJoin,
  search_Products: searchProducts,
  globalSearch,
  verify_conversion: {
    found: true,
    converted: true,
    orders: [
      { name: '#EX-2026-0312', date: '2026-03-01T11:02:00Z', amount: 59.9, currency: 'EUR', status: 'paid' },
    ],
  },
} satisfies Record<CrmEndpointType, unknown>;

export const crmNotFoundFixture = notFound;

export interface FakeCrmRequest {
  method: string;
  /** Path and query exactly as received: what the signature covers. */
  target: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw body as received. */
  body: string;
  /** Set once verifySignatures was called. */
  signature?: { ok: true; timestamp: number } | VerifyFailure;
}

export type FakeCrmAnswer =
  | {
      status?: number;
      /** Serialized with JSON.stringify and sent as application/json. */
      json?: unknown;
      /** Sent as is; `headers` says what it is. */
      body?: string | Uint8Array;
      headers?: Record<string, string>;
      /** The answer is held back until this settles (a slow CRM), without any timer. */
      delay?: Promise<unknown>;
    }
  | { redirect: string; status?: 301 | 302 | 303 | 307 | 308 };

export type FakeCrmScript = FakeCrmAnswer | ((request: FakeCrmRequest) => FakeCrmAnswer);

export interface FakeCrm {
  port: number;
  /** A URL on this server, e.g. url('/crm/customer'). */
  url(path?: string): string;
  /** Where the example answer of a type is served by default: `/crm/<type>`. */
  urlFor(type: CrmEndpointType): string;
  /** Every request received, oldest first. */
  requests: FakeCrmRequest[];
  /** Scripts the answer for a path (the query is ignored), replacing any earlier script or default. */
  answer(path: string, script: FakeCrmScript): void;
  /**
   * A slow CRM: the path answers `json` only once `release()` is called; `reached` settles when its first
   * request has arrived (every request of the path is held alike).
   */
  hold(path: string, json: unknown): { reached: Promise<void>; release(): void };
  /** From now on, checks each request's signature with this secret at this time (the app's clock). */
  verifySignatures(options: { secret: string; now: () => Date }): void;
  close(): Promise<void>;
}

const pathFor = (type: CrmEndpointType) => `/crm/${type}`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function send(res: ServerResponse, answer: FakeCrmAnswer): Promise<void> {
  if ('redirect' in answer) {
    res.writeHead(answer.status ?? 302, { location: answer.redirect }).end();
    return;
  }
  await answer.delay;
  const body = answer.json === undefined ? (answer.body ?? '') : JSON.stringify(answer.json);
  const type = answer.json === undefined ? {} : { 'content-type': 'application/json' };
  res.writeHead(answer.status ?? 200, { ...type, ...answer.headers }).end(body);
}

export async function startFakeCrm(): Promise<FakeCrm> {
  const scripts = new Map<string, FakeCrmScript>(
    Object.entries(crmFixtures).map(([type, json]) => [pathFor(type as CrmEndpointType), { json }]),
  );
  let verification: { secret: string; now: () => Date } | undefined;
  const requests: FakeCrmRequest[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const target = req.url ?? '/';
      const parsed = new URL(target, 'http://fake-crm');
      const request: FakeCrmRequest = {
        method: req.method ?? '',
        target,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: await readBody(req),
      };
      if (verification !== undefined) {
        request.signature = verifyCrmRequest({
          secret: verification.secret,
          headers: req.headers,
          method: request.method,
          pathAndQuery: target,
          body: request.body,
          now: verification.now().getTime(),
        });
      }
      requests.push(request);
      const script = scripts.get(request.path) ?? {
        status: 404,
        json: { error: `no script for ${request.path}` },
      };
      await send(res, typeof script === 'function' ? script(request) : script);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake CRM has no TCP address');
  const url = (path = '/') => `http://127.0.0.1:${address.port}${path}`;

  return {
    port: address.port,
    url,
    urlFor: (type) => url(pathFor(type)),
    requests,
    answer: (path, script) => scripts.set(path, script),
    hold: (path, json) => {
      let reached!: () => void;
      let release!: () => void;
      const answer = new Promise<void>((resolve) => (release = resolve));
      const arrived = new Promise<void>((resolve) => (reached = resolve));
      scripts.set(path, () => {
        reached();
        return { json, delay: answer };
      });
      return { reached: arrived, release };
    },
    verifySignatures: (options) => {
      verification = options;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
