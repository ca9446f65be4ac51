/**
 * Removes an endpoint's secrets from text Parley did not write: a CRM may echo its token or the
 * request back in an error page or even in its JSON, and that text is quoted in error messages,
 * stored as last_error and shown by test_crm_endpoint.
 */
import { REDACTED } from '../../lib/credentials.ts';

export interface SecretScrubber {
  text(value: string): string;
  /** A JSON value with every string scrubbed. */
  json<T>(value: T): T;
}

/**
 * Values this short would match ordinary text everywhere and garble the output; no real credential
 * is that short.
 */
const MIN_SECRET_LENGTH = 4;

/** The forms a secret takes on the wire and when echoed: as is, form-encoded, inside a JSON string. */
const spellings = (secret: string) => [
  secret,
  new URLSearchParams([['', secret]]).toString().slice(1),
  encodeURIComponent(secret),
  JSON.stringify(secret).slice(1, -1),
];

export function createSecretScrubber(secrets: readonly string[]): SecretScrubber {
  const needles = [
    ...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH).flatMap(spellings)),
  ]
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  const text = (value: string) =>
    needles.reduce((scrubbed, needle) => scrubbed.replaceAll(needle, REDACTED), value);
  const json = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(json);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [text(key), json(inner)]));
    }
    return value;
  };
  return { text, json: <T>(value: T) => (needles.length === 0 ? value : (json(value) as T)) };
}
