/**
 * The one place that calls the Parley server: bearer token, timeout, retries of transient failures,
 * and validation of the answer against the contract's schema (the boundary: past it, types are trusted).
 */
import { serverEndpoint } from '../shared/server-url.ts';
import { fail, succeed, type Outcome } from '../shared/outcome.ts';
import { failureFromStatus, failureFromThrown } from './http-failure.ts';
import { retryDelay } from './retry-policy.ts';

/** The part of a zod schema used here, so this file does not depend on zod itself. */
export interface ResponseSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

export interface Connection {
  serverUrl: string;
  /** Null for unauthenticated calls (`/health`). */
  token: string | null;
}

export interface ServerCall<T> {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  schema: ResponseSchema<T>;
  /**
   * Above the server's own CRM timeout (60 s by default), so a slow CRM surfaces as the server's
   * "error" status with its reason rather than as our timeout.
   */
  timeoutMs?: number;
  /** Only for idempotent calls (GETs, and POSTs the server deduplicates). */
  retries?: number;
}

const DEFAULT_TIMEOUT_MS = 70_000;

export async function callServer<T>(connection: Connection, call: ServerCall<T>): Promise<Outcome<T>> {
  const maxRetries = call.retries ?? 0;
  for (let retry = 0; ; retry++) {
    const outcome = await attempt(connection, call);
    if (outcome.ok) return outcome;
    const delay = retryDelay(retry, outcome.failure, maxRetries);
    if (delay === null) return outcome;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function attempt<T>(connection: Connection, call: ServerCall<T>): Promise<Outcome<T>> {
  const url = serverEndpoint(connection.serverUrl, call.path, call.query);
  const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (connection.token !== null) headers.authorization = `Bearer ${connection.token}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method,
      headers,
      body: call.body === undefined ? null : JSON.stringify(call.body),
      signal: AbortSignal.timeout(timeoutMs),
      credentials: 'omit',
      cache: 'no-store',
      // Parley never redirects its API; a redirect means a proxy or a wrong URL, and must not carry the token.
      redirect: 'error',
    });
  } catch (error) {
    return fail(failureFromThrown(error, url, timeoutMs));
  }
  const body = await readJson(response);
  if (!response.ok) return fail(failureFromStatus(response.status, body));
  const parsed = call.schema.safeParse(body);
  if (!parsed.success) {
    return fail({
      kind: 'invalid_response',
      status: response.status,
      detail: `${call.method} ${call.path} answered an unexpected shape: ${parsed.error.message}`,
    });
  }
  return succeed(parsed.data);
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
