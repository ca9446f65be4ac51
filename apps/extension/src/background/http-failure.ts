/** Turns what went wrong in a fetch to the server into a Failure the panel can explain. */
import type { Failure, FailureKind } from '../shared/outcome.ts';

/** A non-2xx answer; `body` is the parsed JSON when there was some (Parley sends `{error:{code,message}}`). */
export function failureFromStatus(status: number, body: unknown): Failure {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const code = textField(error, 'code');
  const message = textField(error, 'message') ?? `The server answered HTTP ${status}.`;
  return { kind: kindOfStatus(status), detail: message, status, ...(code === undefined ? {} : { code }) };
}

function kindOfStatus(status: number): FailureKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status >= 500) return 'server_error';
  return 'rejected';
}

/** A fetch that threw: an abort by our timeout, or no connection at all. */
export function failureFromThrown(error: unknown, url: string, timeoutMs: number): Failure {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'timeout', detail: `No answer from ${url} within ${Math.round(timeoutMs / 1000)} s.` };
  }
  // fetch() reports every network problem (refused, DNS, TLS, offline) as a bare TypeError.
  const reason = error instanceof Error ? error.message : String(error);
  return { kind: 'unreachable', detail: `Could not connect to ${url} (${reason}).` };
}

function textField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : undefined;
}
