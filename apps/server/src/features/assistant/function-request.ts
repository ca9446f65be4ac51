/**
 * The HTTP request of one custom function call (docs/custom-functions.md#when-the-model-calls-one). Pure: the
 * clock reading and the secrets come in as arguments. GET and DELETE carry the arguments in the query string,
 * the other methods as a JSON or form body. Credentials are written after the model's arguments, so an
 * argument named like a credential cannot replace it. Calls are signed like CRM calls
 * (docs/crm-endpoints.md#verifying-the-signature), so the business's API can tell Parley's calls from forged
 * ones with the same secret.
 */
import type { CustomFunctionMethod } from '@parley/contract';
import { signCrmRequest } from '@parley/webhooks';
import type { TargetCredentials } from '../../lib/credentials.ts';

export interface FunctionTarget {
  url: string;
  method: CustomFunctionMethod;
  format: 'json' | 'form';
  credentials: TargetCredentials;
}

export interface FunctionSigning {
  /** The shop's request-signing secret, in clear. */
  secret: string;
  now: Date;
  version: string;
}

export interface FunctionRequest {
  url: string;
  method: CustomFunctionMethod;
  headers: Record<string, string>;
  body: string | undefined;
}

const isScalar = (value: unknown) => value === null || typeof value !== 'object';

/**
 * One argument as query or form text: a list of plain values comma-separated, as CRM endpoints
 * receive lists (docs/crm-endpoints.md#method-and-parameters); any other object as its JSON text.
 */
export function argumentText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value) && value.every(isScalar)) return value.map(argumentText).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const textFields = (values: Record<string, unknown>) =>
  Object.entries(values).map(([name, value]): [string, string] => [name, argumentText(value)]);

export function buildFunctionRequest(
  target: FunctionTarget,
  args: Record<string, unknown>,
  signing: FunctionSigning,
): FunctionRequest {
  const { auth, headers: configured } = target.credentials;
  const inQuery = target.method === 'GET' || target.method === 'DELETE';
  const url = new URL(target.url);
  const queryAuth = auth?.type === 'query' || (auth?.type === 'body' && inQuery) ? auth.fields : {};
  const bodyAuth = auth?.type === 'body' && !inQuery ? auth.fields : {};

  if (inQuery) for (const [name, text] of textFields(args)) url.searchParams.set(name, text);
  for (const [name, value] of Object.entries(queryAuth)) url.searchParams.set(name, value);

  let body: string | undefined;
  // Lower-case names, so a configured header replaces Parley's default instead of doubling it.
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': `Parley/${signing.version}`,
  };
  if (!inQuery) {
    if (target.format === 'form') {
      // fromEntries keeps the last of two equal names: the credential.
      body = new URLSearchParams(
        Object.fromEntries([...textFields(args), ...Object.entries(bodyAuth)]),
      ).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else {
      body = JSON.stringify({ ...args, ...bodyAuth });
      headers['content-type'] = 'application/json';
    }
  }
  for (const [name, value] of Object.entries(configured ?? {})) headers[name.toLowerCase()] = value;
  if (auth?.type === 'header') {
    for (const [name, value] of Object.entries(auth.fields)) headers[name.toLowerCase()] = value;
  } else if (auth?.type === 'basic') {
    const pair = Buffer.from(`${auth.fields.username}:${auth.fields.password}`, 'utf8').toString('base64');
    headers.authorization = `Basic ${pair}`;
  }
  const signature = signCrmRequest({
    secret: signing.secret,
    timestamp: Math.floor(signing.now.getTime() / 1000),
    method: target.method,
    pathAndQuery: url.pathname + url.search,
    body: body ?? '',
  });
  for (const [name, value] of Object.entries(signature)) headers[name.toLowerCase()] = value;
  return { url: url.href, method: target.method, headers, body };
}
