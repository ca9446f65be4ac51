/**
 * Every call the background makes for a page answers with an Outcome: the value, or a Failure that
 * says what went wrong in terms the panel can show (and localize by `kind`).
 */
export type FailureKind =
  /** No server URL or token saved yet. */
  | 'not_configured'
  /** The options page sent a server URL that is not an http(s) URL, or no token. */
  | 'invalid_settings'
  /** Chrome has not granted the extension access to the server's origin (asked for on Save). */
  | 'no_permission'
  /** The server did not answer: down, wrong URL, offline. */
  | 'unreachable'
  | 'timeout'
  /** 401: the token is wrong or was revoked. */
  | 'unauthorized'
  /** 403: the token may not use this API. */
  | 'forbidden'
  /** 4xx: the server refused the request (its message says why). */
  | 'rejected'
  /** 5xx. */
  | 'server_error'
  /** The server answered something that is not the expected JSON. */
  | 'invalid_response'
  /** Insert into chat: no WhatsApp Web tab, or no composer in it. */
  | 'no_chat_tab'
  | 'no_composer'
  /** Insert into chat: the composer, read back, does not hold the text (nothing was sent). */
  | 'not_inserted';

export interface Failure {
  kind: FailureKind;
  /** A technical detail in English (the server's own message, or what was attempted). */
  detail: string;
  status?: number;
  /** The server's error code (`UNAUTHORIZED`, `VALIDATION_FAILED`, …). */
  code?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const succeed = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T = never>(failure: Failure): Outcome<T> => ({ ok: false, failure });
