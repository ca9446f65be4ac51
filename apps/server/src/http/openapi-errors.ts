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
  BAD_REQUEST: { status: 400, when: 'Another malformed request (a header, the URL); the message says what.' },
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
  BODY_TOO_LARGE: { status: 413, when: 'The body is larger than PARLEY_BODY_LIMIT_BYTES.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: 'The body is not sent as application/json.' },
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
  CREDITS_BUSY: {
    status: 503,
    when: 'The credits left are held by replies still in progress; try again in a few seconds.',
  },
  AI_TIMEOUT: { status: 504, when: 'The model, or the whole reply, took longer than its limit.' },
} as const satisfies Record<string, { status: number; when: string }>;

export type ApiErrorCode = keyof typeof apiErrorCodes;

/** What every route can answer: a server fault. */
export const everyRouteErrors: readonly ApiErrorCode[] = ['INTERNAL'];
/** What a route with a bearer token can answer. */
export const authErrors: readonly ApiErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN'];
/** What a route taking the console's session cookie can answer. */
export const consoleSessionErrors: readonly ApiErrorCode[] = ['SESSION_ENDED', 'CSRF_REJECTED'];
/** What a route reading a query string or path parameters can answer. */
export const inputErrors: readonly ApiErrorCode[] = ['VALIDATION_FAILED'];
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
    ...(route.query !== undefined || route.params !== undefined ? inputErrors : []),
    ...route.errors,
    ...everyRouteErrors,
  ]);
  return [...codes].sort((a, b) => apiErrorCodes[a].status - apiErrorCodes[b].status || a.localeCompare(b));
}
