/**
 * The demo CRM as an HTTP server (node:http, no framework), doing what a real CRM endpoint should:
 * verify Parley's request signature over the bytes received, check the `token` parameter, read the
 * parameters from the query (GET) or the JSON body (POST), and answer JSON. Every refusal is JSON
 * `{"error": {"code", "message"}}` saying why, which Parley shows in `test_crm_endpoint`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crmEndpointTypes } from '@parley/contract';
import { verifyCrmRequest } from '@parley/webhooks';
import { answers, ParameterError } from './answers.ts';
import { endpointPath, endpointTypeOf } from './endpoints.ts';
import { paramsFromJson, paramsFromQuery, type CrmParams } from './params.ts';

export interface DemoCrmOptions {
  port: number;
  host: string;
  /**
   * The shop's `request_signing_secret` (from `get_crm_endpoints`). When set, a call without a valid
   * X-Parley-Signature gets 401. A function is asked on every call, so a rotated secret applies at once.
   */
  signingSecret?: string | (() => string | Promise<string>);
  /** When set, every call must carry it as the `token` parameter. */
  token?: string;
  /** Told about every answered request, e.g. to print it. */
  onRequest?: (entry: DemoCrmRequestLog) => void;
}

export interface DemoCrmRequestLog {
  method: string;
  /** The request target as received: path and query. */
  target: string;
  status: number;
  /** The error code when the request was refused. */
  error?: string;
}

export interface DemoCrm {
  /** The base URL, e.g. `http://127.0.0.1:8788`; endpoints live under `/crm/<type>`. */
  url: string;
  close(): Promise<void>;
}

/** Parley sends a few hundred bytes; anything near this is not a Parley call. */
const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Drained to the end even when too large, so the 413 reaches a client still sending.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) {
    throw new HttpError(413, 'BODY_TOO_LARGE', `The body is over ${MAX_BODY_BYTES} bytes.`);
  }
  return Buffer.concat(chunks);
}

async function checkSignature(
  signingSecret: DemoCrmOptions['signingSecret'],
  request: IncomingMessage,
  body: Buffer,
): Promise<void> {
  if (signingSecret === undefined) return;
  const secret = typeof signingSecret === 'function' ? await signingSecret() : signingSecret;
  const result = verifyCrmRequest({
    secret,
    headers: request.headers,
    method: request.method ?? '',
    // The signature covers the target exactly as sent, before any decoding.
    pathAndQuery: request.url ?? '',
    body,
  });
  if (!result.ok) {
    throw new HttpError(
      401,
      result.code,
      `${result.message} The demo CRM verifies it with the shop's request_signing_secret (get_crm_endpoints shows it).`,
    );
  }
}

/** Compared as digests, so the comparison takes the same time whatever the token's length. */
function checkToken(expected: string | undefined, params: CrmParams): void {
  if (expected === undefined) return;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const received = params.text('token');
  if (received === undefined || !timingSafeEqual(digest(received), digest(expected))) {
    const problem = received === undefined ? 'is missing' : 'is wrong';
    throw new HttpError(
      401,
      'INVALID_TOKEN',
      `The "token" parameter ${problem}; set the endpoint's "token".`,
    );
  }
}

function jsonObjectOf(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'INVALID_JSON', 'A POST body must be a JSON object of parameters.');
  }
  return value as Record<string, unknown>;
}

async function answer(request: IncomingMessage, options: DemoCrmOptions): Promise<unknown> {
  const url = new URL(request.url ?? '/', 'http://demo-crm.invalid');
  const type = endpointTypeOf(url.pathname);
  if (type === undefined) {
    const paths = crmEndpointTypes.map(endpointPath).join(', ');
    throw new HttpError(404, 'NOT_FOUND', `Nothing at ${url.pathname}; the endpoints are ${paths}.`);
  }
  if (request.method !== 'GET' && request.method !== 'POST') {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Use GET (query parameters) or POST (a JSON object).');
  }
  const body = await readBody(request);
  await checkSignature(options.signingSecret, request, body);
  const params =
    request.method === 'GET' ? paramsFromQuery(url.searchParams) : paramsFromJson(jsonObjectOf(body));
  checkToken(options.token, params);
  try {
    return answers[type](params);
  } catch (error) {
    if (error instanceof ParameterError) throw new HttpError(400, 'INVALID_PARAMETER', `${error.message}.`);
    throw error;
  }
}

async function respond(request: IncomingMessage, response: ServerResponse, options: DemoCrmOptions) {
  let status = 200;
  let error: string | undefined;
  let body: unknown;
  try {
    body = await answer(request, options);
  } catch (caught) {
    const failure =
      caught instanceof HttpError
        ? caught
        : new HttpError(500, 'INTERNAL', `The demo CRM failed: ${(caught as Error).message}`);
    status = failure.status;
    error = failure.code;
    body = { error: { code: failure.code, message: failure.message } };
  }
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  options.onRequest?.({
    method: request.method ?? '',
    target: request.url ?? '',
    status,
    ...(error === undefined ? {} : { error }),
  });
}

/** Starts the demo CRM; `port` 0 picks a free one (see `url`). */
export async function startDemoCrm(options: DemoCrmOptions): Promise<DemoCrm> {
  const server = createServer((request, response) => void respond(request, response, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((closeError) => (closeError === undefined ? resolve() : reject(closeError)));
        // Idle keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
