import { z } from 'zod';

/**
 * The settings every user-given HTTP target shares (CRM endpoints and custom functions): its URL,
 * method, extra headers and `auth` block. Defined once so both features accept, seal and redact
 * them the same way.
 */

/** Shape only; the outbound policy (public address, https) is checked by the server on save. */
export const endpointUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
  .max(2048, 'must be at most 2048 characters');

/** Methods are matched case-insensitively: "post" is what people type. */
export const httpMethod = <const M extends readonly [string, ...string[]]>(methods: M) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.toUpperCase() : value),
    z.enum(methods, { error: `must be one of ${methods.join(', ')}` }),
  );

/** RFC 9110 `token`: the characters an HTTP header name may have. */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/);
/** A line break in a value would let it smuggle another header. */
const headerValue = z.string().regex(/^[^\r\n\0]*$/, 'must not contain line breaks');

const headerMap = z.record(headerName, headerValue, {
  error: (issue) => (issue.code === 'invalid_key' ? 'is not a valid HTTP header name' : undefined),
});

/** Set by Parley on every call: an integrator's value would break the framing or forge the signature. */
const reservedHeaders = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'x-parley-timestamp',
  'x-parley-signature',
]);

const withoutReservedHeaders = (headers: Record<string, string>, ctx: z.RefinementCtx) => {
  for (const name of Object.keys(headers)) {
    if (reservedHeaders.has(name.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'is set by Parley and cannot be configured' });
    }
  }
};

export const endpointHeaders = headerMap.superRefine(withoutReservedHeaders);

const atLeastOneField = <T extends Record<string, string>>(fields: T) => Object.keys(fields).length > 0;
const fieldMap = z
  .record(z.string().min(1, 'field names must not be empty'), z.string())
  .refine(atLeastOneField, 'needs at least one field');

const requiredString = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`),
  });

/**
 * `auth` (docs/crm-endpoints.md#authentication): where the credential fields travel. Field values are
 * secrets.
 */
export const endpointAuth = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('header'),
      fields: headerMap
        .superRefine(withoutReservedHeaders)
        .refine(atLeastOneField, 'needs at least one header'),
    }),
    z.strictObject({
      type: z.literal('basic'),
      fields: z.strictObject({
        // RFC 7617: the user-id cannot contain a colon, it separates user and password.
        username: requiredString('basic auth username').regex(/^[^:]*$/, 'must not contain ":"'),
        password: requiredString('basic auth password'),
      }),
    }),
    z.strictObject({ type: z.literal('body'), fields: fieldMap }),
    z.strictObject({ type: z.literal('query'), fields: fieldMap }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'must be one of "header", "basic", "body", "query"' : undefined,
  },
);

export type EndpointHeaders = z.output<typeof endpointHeaders>;
export type EndpointAuth = z.output<typeof endpointAuth>;
