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

/**
 * The undici handler of one exchange. A class rather than closures: the server runs under tsx, which
 * names every closure it creates (esbuild's keepNames), a cost each outbound call would pay again.
 */
class CollectingHandler implements Dispatcher.DispatchHandler {
  readonly #method: string;
  readonly #limits: DispatchLimits;
  readonly #resolve: (response: DispatchedResponse) => void;
  readonly #reject: (error: Error) => void;
  readonly #timer: NodeJS.Timeout;
  #settled = false;
  #abort: ((reason: Error) => void) | undefined;
  /** Set when this side gave up before undici connected the request; applied in onConnect. */
  #abortReason: Error | undefined;
  #status = 0;
  #headers: Record<string, string> = {};
  readonly #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    method: string,
    limits: DispatchLimits,
    resolve: (response: DispatchedResponse) => void,
    reject: (error: Error) => void,
  ) {
    this.#method = method;
    this.#limits = limits;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timer = setTimeout(() => this.#stop(limits.onTimeout()), limits.timeoutMs);
  }

  onConnect(abortRequest: (reason: Error) => void) {
    this.#abort = abortRequest;
    if (this.#abortReason !== undefined) abortRequest(this.#abortReason);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]) {
    // 1xx (such as 100 Continue) are interim: the real answer follows.
    if (statusCode < 200) return true;
    this.#status = statusCode;
    this.#headers = flattenHeaders(rawHeaders);
    const refusal = this.#limits.refuse(statusCode, this.#headers);
    if (refusal !== undefined) {
      this.#stop(refusal);
      return false;
    }
    // A HEAD answer declares the length of a body it does not send.
    const declared = this.#method.toUpperCase() === 'HEAD' ? undefined : this.#headers['content-length'];
    if (
      this.#limits.keepBytes === undefined &&
      declared !== undefined &&
      Number(declared) > this.#limits.maxBytes
    ) {
      this.#stop(this.#limits.tooLarge());
      return false;
    }
    return true;
  }

  onData(chunk: Buffer) {
    if (this.#settled) return false;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    const keep = this.#limits.keepBytes;
    if (keep !== undefined && this.#size >= keep) {
      this.#stop(undefined, Buffer.concat(this.#chunks, this.#size).subarray(0, keep));
      return false;
    }
    if (keep === undefined && this.#size > this.#limits.maxBytes) {
      this.#stop(this.#limits.tooLarge());
      return false;
    }
    return true;
  }

  onComplete() {
    this.#settle(undefined, Buffer.concat(this.#chunks, this.#size));
  }

  onError(error: Error) {
    this.#settle(error);
  }

  #settle(error: Error | undefined, body?: Buffer) {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    if (error === undefined) {
      this.#resolve({ status: this.#status, headers: this.#headers, body: body ?? Buffer.alloc(0) });
    } else {
      this.#reject(error);
    }
  }

  /** Settles now and stops the request: its late onError is ignored, its socket destroyed. */
  #stop(error: Error | undefined, body?: Buffer) {
    this.#settle(error, body);
    const reason = error ?? new Error('response read in part');
    if (this.#abort === undefined) this.#abortReason = reason;
    else this.#abort(reason);
  }
}

export function dispatchRequest(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  limits: DispatchLimits,
): Promise<DispatchedResponse> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new CollectingHandler(options.method, limits, resolve, reject));
  });
}
