import type { Agent } from 'undici';
import type { AllowRule } from './allow-list.ts';
import { errorCode, OutboundError } from './errors.ts';
import { loadOnce } from '../load-once.ts';
import { findRefusal, httpsRequired } from './policy.ts';
import { resolveHost, systemLookup, type LookupFn } from './resolve.ts';
import { describeUrl, hostPort, parseTarget, type Target } from './target.ts';

export interface OutboundRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Whole call, connect to last body byte. Default 30 000. */
  timeoutMs?: number;
  /** DNS plus TCP (plus TLS) connect. Default 5 000. */
  connectTimeoutMs?: number;
  /** Larger responses are refused with TOO_LARGE. Default 2 MiB. */
  maxResponseBytes?: number;
  /**
   * Keep only the first this many bytes of the body and stop reading there, instead of refusing
   * a large response (webhook deliveries record an excerpt of the answer, nothing more).
   */
  keepResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  latencyMs: number;
  url: string;
}

/** The one client for user-given URLs (webhooks, CRM endpoints, custom functions). */
export interface OutboundHttp {
  /** Never throws synchronously; rejects only with OutboundError. */
  request(req: OutboundRequest): Promise<OutboundResponse>;
  /** Save-time check: parses, resolves DNS and applies the policy, without connecting. */
  checkUrl(url: string): Promise<void>;
  /** Aborts calls in flight; later calls fail with CONNECTION_FAILED. */
  close(): Promise<void>;
}

export interface OutboundHttpOptions {
  /** Parsed PARLEY_ALLOW_PRIVATE_TARGETS. */
  allow: readonly AllowRule[];
  lookup?: LookupFn;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** The Agent and the exchange on it, with undici: loaded by the first call, not by every start. */
const loadTransport = loadOnce(() => import('./agent.ts'));

export function createOutboundHttp({ allow, lookup = systemLookup }: OutboundHttpOptions): OutboundHttp {
  // One keep-alive Agent per connect timeout (in practice one: 5 s), made on first use (agent.ts).
  const agents = new Map<number, Promise<Agent>>();
  let closed = false;

  function agentFor(connectTimeoutMs: number): Promise<Agent> {
    let agent = agents.get(connectTimeoutMs);
    if (agent === undefined) {
      agent = loadTransport().then(({ createPolicyAgent }) =>
        createPolicyAgent({ allow, lookup, connectTimeoutMs }),
      );
      agents.set(connectTimeoutMs, agent);
    }
    return agent;
  }

  async function request(req: OutboundRequest): Promise<OutboundResponse> {
    if (closed) throw closedError();
    const target = parseTarget(req.url);
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const connectTimeoutMs = req.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const maxBytes = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    try {
      const { dispatchRequest } = await loadTransport();
      // Closed while undici loaded: an agent made now would outlive the client.
      if (closed) throw closedError();
      const started = performance.now();
      const response = await dispatchRequest(
        await agentFor(connectTimeoutMs),
        {
          origin: target.url.origin,
          path: target.url.pathname + target.url.search,
          method: req.method,
          headers: req.headers,
          body: req.body,
        },
        {
          timeoutMs,
          onTimeout: () =>
            new OutboundError(
              'TIMEOUT',
              `${describeUrl(target.url)} did not answer completely within ${timeoutMs} ms.`,
            ),
          // Redirects are never followed: the next hop would escape the policy check made for this URL.
          refuse: (status, headers) =>
            status >= 300 && status < 400 ? redirectRefusal(target, status, headers.location) : undefined,
          maxBytes,
          tooLarge: () =>
            new OutboundError(
              'TOO_LARGE',
              `The response from ${describeUrl(target.url)} exceeds the ${maxBytes}-byte limit; the call was aborted.`,
              { limit: maxBytes },
            ),
          keepBytes: req.keepResponseBytes,
        },
      );
      return { ...response, latencyMs: Math.round(performance.now() - started), url: target.url.href };
    } catch (error) {
      throw toOutboundError(error, { target, connectTimeoutMs });
    }
  }

  return {
    request,

    async checkUrl(url) {
      const target = parseTarget(url);
      const addresses = target.isLiteral ? [target.hostname] : await resolveHost(lookup, target.hostname);
      const refusal = findRefusal(allow, target, addresses);
      if (refusal) throw refusal;
    },

    async close() {
      closed = true;
      // destroy, not close: calls in flight are aborted, and idle kept-alive sockets closed.
      const made = await Promise.all(agents.values());
      await Promise.all(made.map((agent) => agent.destroy()));
      agents.clear();
    },
  };
}

const closedError = () => new OutboundError('CONNECTION_FAILED', 'The outbound HTTP client is closed.');

function redirectRefusal(target: Target, status: number, location: string | undefined): OutboundError {
  let next = 'no Location header';
  if (location !== undefined) {
    try {
      next = describeUrl(new URL(location, target.url));
    } catch {
      next = 'an unparsable Location';
    }
  }
  return new OutboundError(
    'REDIRECT',
    `${describeUrl(target.url)} answered ${status} redirecting to ${next}; redirects are not followed. ` +
      'Configure the final URL instead.',
    { status, location: next },
  );
}

interface FailureContext {
  target: Target;
  connectTimeoutMs: number;
}

/** Whatever undici or Node threw, as the OutboundError a caller can act on. */
function toOutboundError(error: unknown, { target, connectTimeoutMs }: FailureContext) {
  if (error instanceof OutboundError) {
    // The connector knows only the origin; the message names the URL this call was for.
    return error.code === 'HTTPS_REQUIRED' ? httpsRequired(target) : error;
  }
  const where = hostPort(target.hostname, target.port);
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new OutboundError(
        'CONNECT_TIMEOUT',
        `Could not connect to ${where} within ${connectTimeoutMs} ms.`,
      );
    // Raised by undici for a bad method or header: the request itself is at fault.
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      return new OutboundError(
        'INVALID_REQUEST',
        `Invalid request to ${describeUrl(target.url)}: ${message}.`,
      );
    default:
      return new OutboundError('CONNECTION_FAILED', `The connection to ${where} failed: ${message}.`, {
        cause: code,
      });
  }
}
