/**
 * What one attempt came to, from the receiver's answer or the outbound client's error: success is a
 * 2xx (docs/webhooks.md#delivery-success-retries-pauses); everything else is a failure with a class a user
 * can act on, the stable code and message, the first 4 KB of the answer, and what the receiver asked for
 * (Retry-After, 410 Gone).
 */
import { OutboundError, type OutboundErrorCode, type OutboundResponse } from '../../lib/outbound/index.ts';
import { parseRetryAfter } from './retry-after.ts';

export const RESPONSE_EXCERPT_BYTES = 4096;

export type AttemptErrorClass =
  'http_status' | 'redirect' | 'timeout' | 'connection' | 'refused_by_policy' | 'configuration';

export interface AttemptError {
  class: AttemptErrorClass;
  /** `HTTP_500`, `TIMEOUT`, `REDIRECT`, `BLOCKED_TARGET`, … */
  code: string;
  message: string;
}

export interface AttemptOutcome {
  delivered: boolean;
  httpStatus: number | null;
  latencyMs: number;
  error: AttemptError | null;
  responseExcerpt: string | null;
  /** Retry-After of a 429 or 503: do not call again before this many ms. */
  retryAfterMs: number | null;
  /** 410 Gone: the receiver asks to stop; the webhook pauses. */
  gone: boolean;
}

const ERROR_CLASS: Record<OutboundErrorCode, AttemptErrorClass> = {
  REDIRECT: 'redirect',
  TIMEOUT: 'timeout',
  CONNECT_TIMEOUT: 'timeout',
  CONNECTION_FAILED: 'connection',
  DNS_FAILED: 'connection',
  TOO_LARGE: 'connection',
  INVALID_URL: 'refused_by_policy',
  BLOCKED_TARGET: 'refused_by_policy',
  HTTPS_REQUIRED: 'refused_by_policy',
  INVALID_REQUEST: 'configuration',
};

const excerpt = (body: Buffer): string => body.subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');

export function outcomeOfResponse(response: OutboundResponse, now: Date): AttemptOutcome {
  const { status } = response;
  const delivered = status >= 200 && status < 300;
  const asksToWait = status === 429 || status === 503;
  return {
    delivered,
    httpStatus: status,
    latencyMs: response.latencyMs,
    error: delivered
      ? null
      : {
          class: 'http_status',
          code: `HTTP_${status}`,
          message:
            status === 410
              ? 'The receiver answered 410 Gone: the webhook is paused until it answers a probe with 2xx or is configured again.'
              : `The receiver answered ${status}; only a 2xx counts as delivered.`,
        },
    responseExcerpt: excerpt(response.body),
    retryAfterMs: asksToWait ? parseRetryAfter(response.headers['retry-after'], now) : null,
    gone: status === 410,
  };
}

/** Rethrows anything that is not an OutboundError: that is a fault, not a failed attempt. */
export function outcomeOfError(error: unknown, latencyMs: number): AttemptOutcome {
  if (!(error instanceof OutboundError)) throw error;
  const redirectStatus = error.code === 'REDIRECT' ? error.details?.status : undefined;
  return {
    ...failure(ERROR_CLASS[error.code], error.code, error.message),
    httpStatus: typeof redirectStatus === 'number' ? redirectStatus : null,
    latencyMs,
  };
}

/** A failure before anything was sent (a secret that cannot sign, one that cannot be opened). */
export const failure = (errorClass: AttemptErrorClass, code: string, message: string): AttemptOutcome => ({
  delivered: false,
  httpStatus: null,
  latencyMs: 0,
  error: { class: errorClass, code, message },
  responseExcerpt: null,
  retryAfterMs: null,
  gone: false,
});
