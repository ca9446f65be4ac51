/**
 * The credentials of a user-given HTTP target (CRM endpoint or custom function): the `token`,
 * the header values and the `auth` fields. They are stored as one sealed JSON value and shown
 * only redacted, so a preview, a listing or a log line can never carry them in clear.
 */
import type { EndpointAuth, EndpointHeaders } from '@parley/contract';
import type { SecretBinding, SecretBox } from './secret-box.ts';

export interface TargetCredentials {
  token?: string | undefined;
  headers?: EndpointHeaders | undefined;
  auth?: EndpointAuth | undefined;
}

/** What a redacted secret reads as: says that it is set, never what it is. */
export const REDACTED = '[set]';
type Redacted = typeof REDACTED;

export interface RedactedCredentials {
  token: Redacted | null;
  /** Header names stay visible so the integrator can tell what is sent. */
  headers: Record<string, Redacted>;
  auth: { type: EndpointAuth['type']; fields: Record<string, Redacted> } | null;
}

const redactValues = (values: Record<string, string>): Record<string, Redacted> =>
  Object.fromEntries(Object.keys(values).map((name) => [name, REDACTED]));

export const redactCredentials = (credentials: TargetCredentials): RedactedCredentials => ({
  token: credentials.token === undefined ? null : REDACTED,
  headers: redactValues(credentials.headers ?? {}),
  auth:
    credentials.auth === undefined
      ? null
      : { type: credentials.auth.type, fields: redactValues(credentials.auth.fields) },
});

/** The sealed column value, or null when there is nothing secret to store. */
export function sealCredentials(
  secrets: SecretBox,
  credentials: TargetCredentials,
  binding: SecretBinding,
): string | null {
  const present: TargetCredentials = {};
  if (credentials.token !== undefined) present.token = credentials.token;
  if (credentials.headers !== undefined && Object.keys(credentials.headers).length > 0) {
    present.headers = credentials.headers;
  }
  if (credentials.auth !== undefined) present.auth = credentials.auth;
  return Object.keys(present).length === 0 ? null : secrets.seal(JSON.stringify(present), binding);
}

export function openCredentials(
  secrets: SecretBox,
  sealed: string | null,
  binding: SecretBinding,
): TargetCredentials {
  // Only sealCredentials writes this column, so its JSON has the shape validated on save.
  return sealed === null ? {} : (JSON.parse(secrets.open(sealed, binding)) as TargetCredentials);
}
