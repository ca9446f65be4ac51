import { isIP } from 'node:net';
import { OutboundError } from './errors.ts';

/** A user-given URL reduced to what the policy decides on. */
export interface Target {
  url: URL;
  protocol: 'http:' | 'https:';
  /** As dialled: IPv6 without brackets; WHATWG-normalized (so 2130706433 and 0x7f000001 are 127.0.0.1). */
  hostname: string;
  port: number;
  isLiteral: boolean;
}

/** Parses a URL for an outbound call; refuses what the policy cannot reason about. */
export function parseTarget(raw: string): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The raw text is not echoed: it may hold a secret, and it cannot be redacted reliably unparsed.
    throw new OutboundError(
      'INVALID_URL',
      'Invalid URL: it could not be parsed. Use an absolute URL such as https://example.com/hook.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError(
      'INVALID_URL',
      `Invalid URL: only http and https are supported, not "${url.protocol}".`,
    );
  }
  // Refused rather than silently dropped (undici would not send them); credentials belong in headers.
  if (url.username !== '' || url.password !== '') {
    throw new OutboundError(
      'INVALID_URL',
      'Invalid URL: credentials in the URL (user:password@) are not supported; send them as headers.',
    );
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return {
    url,
    protocol: url.protocol,
    hostname,
    port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
    isLiteral: isIP(hostname) !== 0,
  };
}

/** `host:port` with IPv6 in brackets: the form a host:port or ip:port allow rule is written in. */
export const hostPort = (host: string, port: number) => `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

/** A URL as shown in messages: no credentials, no query string (CRM tokens travel there), no fragment. */
export const describeUrl = (url: URL) => `${url.protocol}//${url.host}${url.pathname}`;
