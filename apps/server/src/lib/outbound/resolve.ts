import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { errorCode, OutboundError } from './errors.ts';

/** The DNS seam: every address a name resolves to. Tests inject one that never touches the network. */
export type LookupFn = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export const systemLookup: LookupFn = (hostname) => dns.lookup(hostname, { all: true });

/** Resolves a name to its addresses; any failure, or an empty or malformed answer, is DNS_FAILED. */
export async function resolveHost(lookup: LookupFn, hostname: string): Promise<[string, ...string[]]> {
  let answers: readonly { address: string }[];
  try {
    answers = await lookup(hostname);
  } catch (error) {
    throw new OutboundError(
      'DNS_FAILED',
      `Could not resolve ${hostname} (${errorCode(error) ?? 'lookup failed'}).`,
    );
  }
  const [first, ...rest] = answers.map((answer) => answer.address);
  if (first === undefined || [first, ...rest].some((address) => isIP(address) === 0)) {
    throw new OutboundError('DNS_FAILED', `Could not resolve ${hostname}: no usable address in the answer.`);
  }
  return [first, ...rest];
}
