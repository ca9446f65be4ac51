import { isIP } from 'node:net';
import { ALLOW_SETTING } from './errors.ts';
import { ipaddr, type IpAddress } from './ip.ts';

/**
 * One entry of PARLEY_ALLOW_PRIVATE_TARGETS. `source` is the entry as written, for logs and messages.
 * - ip: that address, on `port` only when given;
 * - cidr: any address of the range, any port;
 * - host: the URL's host name and port exactly, whatever the name resolves to.
 */
export type AllowRule =
  | { kind: 'ip'; ip: IpAddress; port: number | undefined; source: string }
  | { kind: 'cidr'; range: [IpAddress, number]; source: string }
  | { kind: 'host'; host: string; port: number; source: string };

const EXAMPLES = 'e.g. 10.0.0.5, 127.0.0.1:8080, 10.0.0.0/8, crm.lan:443 or [::1]:8080';

/** Parses the comma list; throws an Error naming the first bad entry. Empty entries are ignored. */
export function parseAllowList(value: string): AllowRule[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseEntry);
}

function parseEntry(entry: string): AllowRule {
  const fail = (reason: string): never => {
    throw new Error(
      `${ALLOW_SETTING}: "${entry}" ${reason}. Use ip, ip:port, CIDR or host:port (${EXAMPLES}).`,
    );
  };

  if (entry.includes('://')) fail('is a URL; write only its host:port');
  if (entry.includes('/')) {
    if (!ipaddr.isValidCIDR(entry)) fail('is not a valid CIDR range');
    return { kind: 'cidr', range: unmapRange(ipaddr.parseCIDR(entry)), source: entry };
  }

  // Only canonical literals: ipaddr alone would also take "127.1" or "2130706433".
  if (isIP(entry) !== 0) return { kind: 'ip', ip: ipaddr.process(entry), port: undefined, source: entry };

  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    const [, address = '', port] = bracketed;
    if (isIP(address) !== 6) fail('has brackets around something that is not an IPv6 address');
    return {
      kind: 'ip',
      ip: ipaddr.process(address),
      port: port === undefined ? undefined : parsePort(port, fail),
      source: entry,
    };
  }

  const colon = entry.lastIndexOf(':');
  if (colon === -1) fail('is a host name without a port (write it as host:port)');
  const host = entry.slice(0, colon);
  const port = parsePort(entry.slice(colon + 1), fail);
  if (isIP(host) === 4) return { kind: 'ip', ip: ipaddr.process(host), port, source: entry };
  return { kind: 'host', host: normalizeHost(host, fail), port, source: entry };
}

function parsePort(text: string, fail: (reason: string) => never): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) fail('has an invalid port (1-65535)');
  return port;
}

/** Normalizes like the WHATWG URL parser so the rule compares equal to `new URL(…).hostname`. */
function normalizeHost(host: string, fail: (reason: string) => never): string {
  if (!/^[^\s/?#@\\[\]:]+$/.test(host)) fail('has no valid host name before the port');
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return fail('has no valid host name before the port');
  }
  // "0x7f000001:80" would parse to an IP, which would never be compared as a host: say so.
  if (isIP(hostname) !== 0) fail(`is an IP address in a non-standard form; write it as ${hostname}`);
  return stripTrailingDot(hostname);
}

/** "example.com." and "example.com" are the same DNS name. */
export const stripTrailingDot = (host: string) => (host.endsWith('.') ? host.slice(0, -1) : host);

/**
 * Addresses are compared after ipaddr.process (IPv4-mapped IPv6 becomes IPv4), so an IPv4-mapped
 * range must become the IPv4 range it denotes or it would never match.
 */
function unmapRange([address, prefix]: [IpAddress, number]): [IpAddress, number] {
  if (address instanceof ipaddr.IPv6 && prefix >= 96 && address.isIPv4MappedAddress()) {
    return [address.toIPv4Address(), prefix - 96];
  }
  return [address, prefix];
}
