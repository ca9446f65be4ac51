/**
 * The HTTP request of one CRM call (docs/crm-endpoints.md#requests), built once for production calls, probes
 * and test_crm_endpoint alike, so what an integrator tests is byte for byte what production sends.
 * Pure: the clock reading and the secrets come in as arguments.
 */
import type { CrmEndpointMethod } from '@parley/contract';
import { signCrmRequest } from '@parley/webhooks';
import { REDACTED, type TargetCredentials } from '../../lib/credentials.ts';

/** What a caller passes: a list goes as comma-separated text in a query, as an array in a JSON body. */
export type CrmCallParams = Record<string, string | number | readonly string[] | undefined>;

export interface CrmRequestInput {
  url: string;
  method: CrmEndpointMethod;
  credentials: TargetCredentials;
  params: CrmCallParams;
  /** The shop's request-signing secret, in clear. */
  signingSecret: string;
  now: Date;
  version: string;
}

export interface ShownRequest {
  method: CrmEndpointMethod;
  url: string;
  headers: Record<string, string>;
  /** POST only: the JSON body as sent. */
  body?: unknown;
}

export interface CrmRequest {
  method: CrmEndpointMethod;
  url: string;
  headers: Record<string, string>;
  /** Undefined for GET. */
  body: string | undefined;
  /** The same request with every credential replaced by "[set]"; the signature stays (it is no secret). */
  show(): ShownRequest;
}

/** RFC 7617: the value after `Basic `. */
export const basicCredentials = ({ username, password }: { username: string; password: string }) =>
  Buffer.from(`${username}:${password}`, 'utf8').toString('base64');

/** A value sent to the CRM, and whether it is a credential that must never be shown. */
interface Field {
  /** A number stays a number in a JSON body. */
  value: string | number | readonly string[];
  secret: boolean;
}

/**
 * Call parameters first, then the token, then `auth` fields; the first writer of a name wins, so a
 * credential configured under the name of a parameter (say `phone`) cannot change what is looked up.
 */
function collectFields(params: CrmCallParams, sources: ReadonlyArray<Record<string, string> | undefined>) {
  const fields = new Map<string, Field>();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) fields.set(name, { value, secret: false });
  }
  for (const source of sources) {
    for (const [name, value] of Object.entries(source ?? {})) {
      if (!fields.has(name)) fields.set(name, { value, secret: true });
    }
  }
  return fields;
}

const formPair = (name: string, value: string) => new URLSearchParams([[name, value]]).toString();

/**
 * The query as sent, or as shown. Entries are form-encoded one by one so the shown form differs only
 * in the redacted values ("[" and "]" survive URL parsing unencoded in a query). An empty list is
 * left out: "relatedphones=" would read as one empty phone.
 */
function encodeQuery(fields: ReadonlyMap<string, Field>, show: boolean): string[] {
  const parts: string[] = [];
  for (const [name, { value, secret }] of fields) {
    if (typeof value === 'object' && value.length === 0) continue;
    if (show && secret) {
      parts.push(`${formPair(name, '')}${REDACTED}`);
      continue;
    }
    parts.push(formPair(name, typeof value === 'object' ? value.join(',') : String(value)));
  }
  return parts;
}

/** The path and query as sent: the stored URL's own query kept as written, the added entries after it. */
const pathAndQueryOf = (url: URL, parts: readonly string[]) => {
  const query = [url.search.slice(1), ...parts].filter((part) => part !== '').join('&');
  return `${url.pathname}${query === '' ? '' : `?${query}`}`;
};

const jsonBody = (fields: ReadonlyMap<string, Field>, show: boolean) =>
  Object.fromEntries(
    [...fields].map(([name, { value, secret }]) => [name, show && secret ? REDACTED : value]),
  );

/** Header names are case-insensitive: a configured `accept` replaces Parley's `Accept` instead of doubling it. */
class HeaderSet {
  private readonly entries = new Map<string, { name: string; value: string; secret: boolean }>();

  set(name: string, value: string, secret = false) {
    this.entries.set(name.toLowerCase(), { name, value, secret });
  }

  record(show: boolean): Record<string, string> {
    return Object.fromEntries(
      [...this.entries.values()].map(({ name, value, secret }) => [name, show && secret ? REDACTED : value]),
    );
  }
}

export function buildCrmRequest(input: CrmRequestInput): CrmRequest {
  const { method, credentials, params } = input;
  const { auth } = credentials;
  const token = credentials.token === undefined ? undefined : { token: credentials.token };
  const url = new URL(input.url);

  let queryFields: Map<string, Field>;
  let bodyFields: Map<string, Field> | undefined;
  if (method === 'GET') {
    // A GET has no body, so `auth` body fields travel in the query string with everything else
    // (the same place a CRM written for WAzion's GET calls reads them from).
    const inBodyOrQuery = auth?.type === 'body' || auth?.type === 'query' ? auth.fields : undefined;
    queryFields = collectFields(params, [token, inBodyOrQuery]);
  } else {
    bodyFields = collectFields(params, [token, auth?.type === 'body' ? auth.fields : undefined]);
    queryFields = collectFields({}, [auth?.type === 'query' ? auth.fields : undefined]);
  }
  // Only the form as sent is built per call: the shown one is for test_crm_endpoint, built on demand.
  const pathAndQuery = pathAndQueryOf(url, encodeQuery(queryFields, false));
  const body = bodyFields === undefined ? undefined : JSON.stringify(jsonBody(bodyFields, false));

  const headers = new HeaderSet();
  headers.set('Accept', 'application/json');
  headers.set('User-Agent', `Parley/${input.version}`);
  if (body !== undefined) headers.set('Content-Type', 'application/json');
  // Configured headers are sent as given, so they may replace the three above (a CRM that wants
  // another Accept); the signature headers cannot be configured (the contract refuses them).
  for (const [name, value] of Object.entries(credentials.headers ?? {})) headers.set(name, value, true);
  if (auth?.type === 'header') {
    for (const [name, value] of Object.entries(auth.fields)) headers.set(name, value, true);
  } else if (auth?.type === 'basic') {
    headers.set('Authorization', `Basic ${basicCredentials(auth.fields)}`, true);
  }
  // The outbound client parses the URL again and sends its path and query: the same text, because
  // `url` is already a parsed URL's serialization (which parsing leaves as it is) and the added
  // entries are form-encoded. So the target is signed as it is sent without a second parse.
  const signature = signCrmRequest({
    secret: input.signingSecret,
    timestamp: Math.floor(input.now.getTime() / 1000),
    method,
    pathAndQuery,
    body: body ?? '',
  });
  for (const [name, value] of Object.entries(signature)) headers.set(name, value);

  return {
    method,
    url: url.origin + pathAndQuery,
    headers: headers.record(false),
    body,
    show: () => ({
      method,
      url: url.origin + pathAndQueryOf(url, encodeQuery(queryFields, true)),
      headers: headers.record(true),
      ...(bodyFields === undefined ? {} : { body: jsonBody(bodyFields, true) }),
    }),
  };
}
