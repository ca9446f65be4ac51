/**
 * The error codes REST routes answer, with their HTTP status and what they mean, for the API
 * document (openapi-routes.ts names which route answers which). The codes are thrown where they
 * happen (lib/errors.ts, the features, errors.ts for Fastify's own refusals); this is their catalog.
 */
export const apiErrorCodes = {
  VALIDATION_FAILED: {
    status: 400,
    when: 'The body, query string or a path parameter is invalid; the message names each field.',
  },
  INVALID_JSON: {
    status: 400,
    when: 'The body is not valid JSON, or is empty with Content-Type: application/json.',
  },
  INVALID_CONTENT_LENGTH: { status: 400, when: 'Content-Length does not match the body.' },
  INVALID_PHONE: { status: 400, when: "A phone is not a usable number for the shop's country." },
  BAD_REQUEST: {
    status: 400,
    when: 'The request is not valid HTTP, or is malformed otherwise; the message says what.',
  },
  BAD_URL: { status: 400, when: 'The URL path is not valid percent-encoded UTF-8.' },
  UNAUTHORIZED: { status: 401, when: 'The bearer token is missing, unknown or revoked.' },
  SESSION_ENDED: {
    status: 401,
    when: 'The console session ended (signed out, expired, or its token was rotated or revoked); sign in again.',
  },
  NO_CREDITS: { status: 402, when: 'The shop has no credits left.' },
  FORBIDDEN: {
    status: 403,
    when: 'The token is of a kind this route does not take, or the agent lacks the permission.',
  },
  CSRF_REJECTED: {
    status: 403,
    when: 'A console change without the x-parley-csrf header, or from another site (Origin).',
  },
  NOT_FOUND: {
    status: 404,
    when: "No such resource in this shop (another shop's ids are not found either).",
  },
  CONFLICT: { status: 409, when: 'The change conflicts with the current state; the message says which.' },
  TOO_MANY_LINKS: { status: 409, when: 'The chat already has the most linked customers; remove one first.' },
  REQUEST_TIMEOUT: { status: 408, when: 'The request took too long to arrive.' },
  BODY_TOO_LARGE: { status: 413, when: 'The body is larger than PARLEY_BODY_LIMIT_BYTES.' },
  URI_TOO_LONG: { status: 414, when: 'A path segment (an id) is longer than 200 characters.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: 'The body is not sent as application/json.' },
  HEADERS_TOO_LARGE: {
    status: 431,
    when: 'The request headers are larger than the server accepts (16 KiB).',
  },
  INTERNAL: { status: 500, when: 'A fault of the server; the details are in its log, never in the answer.' },
  AI_PROVIDER_ERROR: {
    status: 502,
    when: 'The model API failed or refused the call; check the model settings.',
  },
  AI_BAD_RESPONSE: {
    status: 502,
    when: 'The model API answered with something that is not a Chat Completions response.',
  },
  AI_EMPTY_REPLY: { status: 502, when: 'The model answered without any reply text; try again.' },
  AI_NOT_CONFIGURED: {
    status: 503,
    when: 'No model is configured for the shop or the server; `details.missing` names what.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    when: 'The database cannot be reached right now; try again in a few seconds (GET /health says when it is back).',
  },
  CREDITS_BUSY: {
    status: 503,
    when: 'The credits left are held by replies still in progress; try again in a few seconds.',
  },
  AI_TIMEOUT: { status: 504, when: 'The model, or the whole reply, took longer than its limit.' },
} as const satisfies Record<string, { status: number; when: string }>;

export type ApiErrorCode = keyof typeof apiErrorCodes;

/** What every route can answer: a server fault. */
export const everyRouteErrors: readonly ApiErrorCode[] = ['INTERNAL'];
/** What a route reading the database (every route with a token, a session or a body) can answer. */
export const databaseErrors: readonly ApiErrorCode[] = ['DATABASE_UNAVAILABLE'];
/** What any request can be answered before a route is chosen; not listed route by route. */
export const requestErrors: readonly ApiErrorCode[] = [
  'BAD_REQUEST',
  'BAD_URL',
  'REQUEST_TIMEOUT',
  'HEADERS_TOO_LARGE',
  'NOT_FOUND',
];
/** What a route with a bearer token can answer. */
export const authErrors: readonly ApiErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN'];
/** What a route taking the console's session cookie can answer. */
export const consoleSessionErrors: readonly ApiErrorCode[] = ['SESSION_ENDED', 'CSRF_REJECTED'];
/** What a route reading a query string can answer. */
export const queryErrors: readonly ApiErrorCode[] = ['VALIDATION_FAILED'];
/** What a route with path parameters can answer. */
export const paramErrors: readonly ApiErrorCode[] = ['VALIDATION_FAILED', 'URI_TOO_LONG'];
/** What a route reading a JSON body can answer. */
export const bodyErrors: readonly ApiErrorCode[] = [
  'VALIDATION_FAILED',
  'INVALID_JSON',
  'INVALID_CONTENT_LENGTH',
  'BODY_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];

/** The codes one route can answer, sorted by status then code. */
export function routeErrorCodes(route: {
  callers: readonly string[];
  consoleSession?: string;
  body?: unknown;
  query?: unknown;
  params?: unknown;
  errors: readonly ApiErrorCode[];
}): ApiErrorCode[] {
  const codes = new Set<ApiErrorCode>([
    ...(route.callers.length > 0 ? authErrors : []),
    ...(route.consoleSession !== undefined ? consoleSessionErrors : []),
    ...(route.body !== undefined ? bodyErrors : []),
    ...(route.query !== undefined ? queryErrors : []),
    ...(route.params !== undefined ? paramErrors : []),
    ...(route.callers.length > 0 || route.consoleSession !== undefined || route.body !== undefined
      ? databaseErrors
      : []),
    ...route.errors,
    ...everyRouteErrors,
  ]);
  return [...codes].sort((a, b) => apiErrorCodes[a].status - apiErrorCodes[b].status || a.localeCompare(b));
}
