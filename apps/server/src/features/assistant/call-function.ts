/**
 * Sends one custom function request through the outbound client (its policy applies on every
 * call, not only on save). A GET is retried once on a connection error or a 502/503/504, because
 * a read is safe to repeat; other methods never are, since the first attempt may have acted.
 */
import type { AppDeps } from '../../app-deps.ts';
import { OutboundError } from '../../lib/outbound/index.ts';
import type { FunctionRequest } from './function-request.ts';

export interface FunctionHttpResult {
  status: 'ok' | 'http_error' | 'failed' | 'timeout';
  httpStatus: number | null;
  latencyMs: number;
  /** The answer, decoded as UTF-8 (when one came). */
  body?: string;
  error?: { code: string; message: string };
}

const RETRY_STATUSES = new Set([502, 503, 504]);
const RETRY_ERRORS = new Set(['CONNECTION_FAILED', 'CONNECT_TIMEOUT', 'DNS_FAILED']);
/** A brief pause lets a restarting upstream come back; the retry must still fit the timeout. */
const RETRY_PAUSE_MS = 250;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function callFunctionEndpoint(
  deps: Pick<AppDeps, 'outbound'>,
  request: FunctionRequest,
  timeoutMs: number,
): Promise<FunctionHttpResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const retryable = request.method === 'GET';
  for (let attempt = 1; ; attempt++) {
    const remaining = timeoutMs - elapsed();
    const mayRetry = retryable && attempt === 1 && remaining > 2 * RETRY_PAUSE_MS;
    try {
      const response = await deps.outbound.request({ ...request, timeoutMs: remaining });
      if (mayRetry && RETRY_STATUSES.has(response.status)) {
        await pause(RETRY_PAUSE_MS);
        continue;
      }
      const ok = response.status >= 200 && response.status < 300;
      return {
        status: ok ? 'ok' : 'http_error',
        httpStatus: response.status,
        latencyMs: elapsed(),
        body: response.body.toString('utf8'),
      };
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      if (mayRetry && RETRY_ERRORS.has(error.code)) {
        await pause(RETRY_PAUSE_MS);
        continue;
      }
      return {
        status: error.code === 'TIMEOUT' ? 'timeout' : 'failed',
        httpStatus: null,
        latencyMs: elapsed(),
        error: { code: error.code, message: error.message },
      };
    }
  }
}
