/**
 * DNS-rebinding protection for /api/mcp. A page on a site whose name an attacker points at this
 * server's address reaches it from the victim's browser with that foreign name in `Host` and
 * `Origin`; `initialize` needs no token, so without this check such a page could talk to a
 * Parley listening on localhost. Allowed names: loopback (`localhost`, `*.localhost`), IP
 * addresses (no DNS lookup, so nothing to rebind), the host of PARLEY_PUBLIC_URL and HOST when
 * it is a name. Ports are not compared: rebinding changes the name, never the port.
 */
import { isIP } from 'node:net';
import type { Config } from '../config.ts';

export interface HostGuard {
  /** Why the request must be refused, or undefined when its Host and Origin are acceptable. */
  refusal(host: string | undefined, origin: string | undefined): string | undefined;
}

export function createHostGuard(config: Pick<Config, 'HOST' | 'PARLEY_PUBLIC_URL'>): HostGuard {
  const names = new Set<string>();
  if (config.PARLEY_PUBLIC_URL !== undefined) names.add(new URL(config.PARLEY_PUBLIC_URL).hostname);
  if (isIP(config.HOST) === 0) names.add(config.HOST.toLowerCase());

  const allowed = (hostname: string) => {
    const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    return (
      isIP(bare) !== 0 || hostname === 'localhost' || hostname.endsWith('.localhost') || names.has(hostname)
    );
  };
  const fix =
    config.PARLEY_PUBLIC_URL === undefined
      ? 'set PARLEY_PUBLIC_URL to the URL your MCP clients use'
      : `use ${config.PARLEY_PUBLIC_URL} (PARLEY_PUBLIC_URL), localhost or an IP address`;

  return {
    refusal(host, origin) {
      // Browsers always send Host; a request without one cannot come from a rebound page.
      if (host !== undefined) {
        const hostname = hostnameOf(`http://${host}`);
        if (hostname === undefined || !allowed(hostname)) {
          return `Forbidden: the Host header ${quote(host)} does not name this server; ${fix}.`;
        }
      }
      if (origin !== undefined) {
        const hostname = hostnameOf(origin);
        if (hostname === undefined || !allowed(hostname)) {
          return `Forbidden: requests from the web origin ${quote(origin)} are not accepted; ${fix}.`;
        }
      }
      return undefined;
    },
  };
}

/** Lower-cased by URL; undefined for what is not a URL (including the `null` origin). */
function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

const quote = (value: string) => JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
