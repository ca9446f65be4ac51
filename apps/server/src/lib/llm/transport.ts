/**
 * How a Chat Completions request reaches the API. The operator's own model (PARLEY_LLM_BASE_URL)
 * is as trusted as DATABASE_URL: it may sit on localhost or the LAN without an allow-list entry,
 * and it gets a keep-alive pool because every reply makes several calls to it. A model URL a shop
 * configured is user-given, so it goes through the outbound client and its policy
 * (docs/architecture.md#the-outbound-policy).
 */
import type { Agent } from 'undici';
import { isAppError } from '../errors.ts';
import { loadOnce } from '../load-once.ts';
import { OutboundError, type OutboundHttp } from '../outbound/index.ts';
import { providerError, providerTimeout } from './errors.ts';

export interface LlmHttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface LlmHttpResponse {
  status: number;
  body: Buffer;
}

export interface LlmTransport {
  /** Rejects only with an AppError. */
  post(req: LlmHttpRequest): Promise<LlmHttpResponse>;
  close(): Promise<void>;
}

/** A completion with long tool results is large, but never this large. */
const MAX_LLM_RESPONSE_BYTES = 8 * 1024 * 1024;

/** undici, loaded with the first call rather than by every start. */
const loadUndici = loadOnce(() => import('undici'));

const tooLarge = () =>
  providerError(`The model API's answer exceeds ${MAX_LLM_RESPONSE_BYTES} bytes; it was not read.`);

export function createServerTransport(): LlmTransport {
  let agent: Promise<Agent> | undefined;
  const agentOnce = () =>
    (agent ??= loadUndici().then(
      ({ Agent }) => new Agent({ keepAliveTimeout: 30_000, connect: { timeout: 5_000 } }),
    ));
  return {
    async post({ url, headers, body, timeoutMs }) {
      // Loaded before the clock starts: the time allowed is the model's, not undici's first load.
      const [{ request }, dispatcher] = await Promise.all([loadUndici(), agentOnce()]);
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const response = await request(url, { method: 'POST', headers, body, dispatcher, signal });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > MAX_LLM_RESPONSE_BYTES) throw tooLarge();
          chunks.push(chunk);
        }
        return { status: response.statusCode, body: Buffer.concat(chunks, size) };
      } catch (error) {
        if (signal.aborted) throw providerTimeout(timeoutMs);
        if (isAppError(error)) throw error;
        throw providerError(
          `Could not reach the model API at ${new URL(url).origin}: ${(error as Error).message}.`,
        );
      }
    },
    close: async () => {
      await (await agent)?.close();
    },
  };
}

export function createShopTransport(outbound: OutboundHttp): LlmTransport {
  return {
    async post({ url, headers, body, timeoutMs }) {
      try {
        const response = await outbound.request({
          url,
          method: 'POST',
          headers,
          body,
          timeoutMs,
          maxResponseBytes: MAX_LLM_RESPONSE_BYTES,
        });
        return { status: response.status, body: response.body };
      } catch (error) {
        if (!(error instanceof OutboundError)) throw error;
        if (error.code === 'TIMEOUT') throw providerTimeout(timeoutMs);
        throw providerError(`The shop's model API could not be called: ${error.message}`, {
          cause: error.code,
        });
      }
    },
    // The outbound client belongs to the runtime, which closes it.
    close: async () => {},
  };
}
