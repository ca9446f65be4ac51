/**
 * One HTTP exchange on an undici dispatcher, the body collected in memory. It is what
 * `dispatcher.request()` plus reading its body stream did, without the stream: undici hands the
 * chunks straight to this handler. The response stream, its async iterator and the abort-signal
 * wiring were about half of the main thread's CPU per outbound call, which every CRM lookup pays.
 *
 * A `refuse` decision on the status and headers, the size cap and the total timeout abort the request,
 * which makes undici destroy the socket instead of returning it, half-read, to the pool.
 */
import type { Dispatcher } from 'undici';
import { util } from 'undici';

export interface DispatchedResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export interface DispatchLimits {
  /** Whole exchange, dispatch to last body byte; rejects with `onTimeout()`'s error. */
  timeoutMs: number;
  onTimeout(): Error;
  /** An error to fail with instead of reading the body (a redirect), or undefined to read it. */
  refuse(status: number, headers: Record<string, string>): Error | undefined;
  /** Refused with `tooLarge()` past this many bytes, declared or received. */
  maxBytes: number;
  tooLarge(): Error;
  /** Keep only the first this many bytes and stop reading there, instead of refusing a large body. */
  keepBytes?: number | undefined;
}

function flattenHeaders(rawHeaders: Buffer[]): Record<string, string> {
  // undici's own parser (the one request() uses): lower-case names, a repeated header as a list.
  const parsed = util.parseHeaders(rawHeaders);
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export function dispatchRequest(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  limits: DispatchLimits,
): Promise<DispatchedResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let abort: ((reason: Error) => void) | undefined;
    /** Set when this side gave up before undici connected the request; applied in onConnect. */
    let abortReason: Error | undefined;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;

    const settle = (error: Error | undefined, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) resolve({ status, headers, body: body ?? Buffer.alloc(0) });
      else reject(error);
    };
    /** Settles now and stops the request: its late onError is ignored, its socket destroyed. */
    const stop = (error: Error | undefined, body?: Buffer) => {
      settle(error, body);
      const reason = error ?? new Error('response read in part');
      if (abort === undefined) abortReason = reason;
      else abort(reason);
    };
    const timer = setTimeout(() => stop(limits.onTimeout()), limits.timeoutMs);
    const keep = limits.keepBytes;

    dispatcher.dispatch(options, {
      onConnect(abortRequest: (reason: Error) => void) {
        abort = abortRequest;
        if (abortReason !== undefined) abortRequest(abortReason);
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[]) {
        // 1xx (such as 100 Continue) are interim: the real answer follows.
        if (statusCode < 200) return true;
        status = statusCode;
        headers = flattenHeaders(rawHeaders);
        const refusal = limits.refuse(statusCode, headers);
        if (refusal !== undefined) {
          stop(refusal);
          return false;
        }
        // A HEAD answer declares the length of a body it does not send.
        const declared = options.method.toUpperCase() === 'HEAD' ? undefined : headers['content-length'];
        if (keep === undefined && declared !== undefined && Number(declared) > limits.maxBytes) {
          stop(limits.tooLarge());
          return false;
        }
        return true;
      },
      onData(chunk: Buffer) {
        if (settled) return false;
        chunks.push(chunk);
        size += chunk.length;
        if (keep !== undefined && size >= keep) {
          stop(undefined, Buffer.concat(chunks, size).subarray(0, keep));
          return false;
        }
        if (keep === undefined && size > limits.maxBytes) {
          stop(limits.tooLarge());
          return false;
        }
        return true;
      },
      onComplete() {
        settle(undefined, Buffer.concat(chunks, size));
      },
      onError(error: Error) {
        settle(error);
      },
    } as Dispatcher.DispatchHandler);
  });
}
