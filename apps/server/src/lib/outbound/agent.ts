/**
 * What the outbound client sends through: undici's keep-alive Agent with the policy's connector, and
 * the exchange on it. client.ts loads this module (and undici with it) on its first call, so that a
 * start, which makes none, does not pay for loading undici
 * (docs/decisions/performance-notes.md#what-a-start-loads).
 */
import { Agent, Pool } from 'undici';
import type { AllowRule } from './allow-list.ts';
import { createGuardedConnector } from './connector.ts';
import type { LookupFn } from './resolve.ts';
import { parseTarget } from './target.ts';

export { dispatchRequest } from './dispatch.ts';

/** Idle time a kept-alive connection waits for its next request (less when the server says less). */
const KEEP_ALIVE_MS = 4_000;
/** The most a server's own Keep-Alive hint may extend it to. */
const KEEP_ALIVE_MAX_MS = 30_000;
/** Connections per origin; more calls in flight to one origin wait for a free one. */
const CONNECTIONS_PER_ORIGIN = 32;

/**
 * An Agent keeps one Pool per origin (scheme, host, port), and each Pool gets a connector bound to
 * that origin: undici calls it for every new connection, so every socket is judged by the policy, as
 * its origin, before it carries a request, and a connection judged for one origin can never serve
 * another.
 */
export function createPolicyAgent({
  allow,
  lookup,
  connectTimeoutMs,
}: {
  allow: readonly AllowRule[];
  lookup: LookupFn;
  connectTimeoutMs: number;
}): Agent {
  return new Agent({
    factory: (origin, options) =>
      new Pool(origin, {
        ...options,
        connect: createGuardedConnector({
          rules: allow,
          target: parseTarget(String(origin)),
          lookup,
          connectTimeoutMs,
        }),
      }),
    connections: CONNECTIONS_PER_ORIGIN,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS,
    // The total timer in request() is the only one; undici's own would fire with different errors.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}
