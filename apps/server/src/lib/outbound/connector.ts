import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import type { AllowRule } from './allow-list.ts';
import { OutboundError } from './errors.ts';
import { findRefusal } from './policy.ts';
import { resolveHost, type LookupFn } from './resolve.ts';
import type { Target } from './target.ts';

export interface GuardedConnectorOptions {
  rules: readonly AllowRule[];
  /** The one origin this connector may dial: a pool's, so every connection of that pool is judged as it. */
  target: Target;
  lookup: LookupFn;
  connectTimeoutMs: number;
}

/**
 * An undici connector that enforces the outbound policy on the address actually used, at the three
 * points where it can be decided: an IP literal before dialling (net.connect skips `lookup` for
 * literals), every DNS answer before dialling, and the socket's peer once connected. undici calls it
 * for every new connection, so a kept-alive connection was checked when it was opened.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const { rules, target } = options;
  // undici's timer starts before the lookup, so the connect timeout covers DNS as well. It ticks
  // about every 0.5 s: a timeout may fire up to ~1 s late, which is fine at the 5 s default.
  const connect = buildConnector({ timeout: options.connectTimeoutMs, lookup: guardedLookup(options) });

  return (connectOptions, callback) => {
    // A pool only dials its own origin; anything else would escape the judgement made for `target`.
    if (!dialsTarget(connectOptions, target)) {
      return callback(
        new OutboundError('CONNECTION_FAILED', 'The connection was not for the origin it was checked for.'),
        null,
      );
    }
    const literalRefusal = target.isLiteral ? findRefusal(rules, target, [target.hostname]) : undefined;
    if (literalRefusal) return callback(literalRefusal, null);

    connect(connectOptions, (...result) => {
      if (result[0] !== null) return callback(result[0], null);
      const socket = result[1];
      // Every answer was already judged; judging the peer too leaves no path (a bypassed lookup,
      // a rebinding resolver) by which an unchecked address gets a request.
      const remote = socket.remoteAddress ?? '';
      const refusal =
        remote === ''
          ? new OutboundError(
              'CONNECTION_FAILED',
              'The connection closed before its address could be checked.',
            )
          : findRefusal(rules, target, [remote]);
      if (refusal) {
        socket.destroy();
        return callback(refusal, null);
      }
      callback(null, socket);
    });
  };
}

/** Whether undici is about to dial the target's protocol, host and port (a default port may come as ''). */
function dialsTarget({ protocol, hostname, port }: buildConnector.Options, target: Target): boolean {
  const dialledPort = port === '' ? (protocol === 'https:' ? 443 : 80) : Number(port);
  return protocol === target.protocol && hostname === target.hostname && dialledPort === target.port;
}

/** A net `lookup` that resolves through the seam and refuses the whole answer if any address is refused. */
function guardedLookup({ rules, target, lookup }: GuardedConnectorOptions): LookupFunction {
  return (hostname, dnsOptions, callback) => {
    void resolveHost(lookup, hostname).then(
      (addresses) => {
        const refusal = findRefusal(rules, target, addresses);
        if (refusal) return callback(refusal, '');
        // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
        if (dnsOptions.all) {
          return callback(
            null,
            addresses.map((address) => ({ address, family: isIP(address) })),
          );
        }
        callback(null, addresses[0], isIP(addresses[0]));
      },
      (error: OutboundError) => callback(error, ''),
    );
  };
}
