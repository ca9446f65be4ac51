import { AppError } from '../errors.ts';

/** The env variable every refusal names, so an operator knows exactly what to change. */
export const ALLOW_SETTING = 'PARLEY_ALLOW_PRIVATE_TARGETS';

export type OutboundErrorCode =
  | 'INVALID_URL'
  | 'INVALID_REQUEST'
  | 'BLOCKED_TARGET'
  | 'HTTPS_REQUIRED'
  | 'REDIRECT'
  | 'CONNECT_TIMEOUT'
  | 'TIMEOUT'
  | 'TOO_LARGE'
  | 'CONNECTION_FAILED'
  | 'DNS_FAILED';

// 400: the caller's URL or request is at fault; 502: the remote side failed; 504: it was too slow.
const STATUS: Record<OutboundErrorCode, number> = {
  INVALID_URL: 400,
  INVALID_REQUEST: 400,
  BLOCKED_TARGET: 400,
  HTTPS_REQUIRED: 400,
  REDIRECT: 502,
  CONNECT_TIMEOUT: 504,
  TIMEOUT: 504,
  TOO_LARGE: 502,
  CONNECTION_FAILED: 502,
  DNS_FAILED: 502,
};

/** Every failure of an outbound call; its message is safe to show (no credentials, no query string). */
export class OutboundError extends AppError {
  declare readonly code: OutboundErrorCode;

  constructor(code: OutboundErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, STATUS[code], details);
    this.name = 'OutboundError';
  }
}

/** The `code` of a Node or undici error, if it has one. */
export const errorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};
