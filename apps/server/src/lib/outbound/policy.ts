import { stripTrailingDot, type AllowRule } from './allow-list.ts';
import { ALLOW_SETTING, OutboundError } from './errors.ts';
import { ipaddr, type IpAddress } from './ip.ts';
import { describeUrl, hostPort, type Target } from './target.ts';

/**
 * The outbound policy (docs/architecture.md#the-outbound-policy) for one target and the addresses it resolved
 * or connected to. Returns the refusal, or undefined when every address may be used. A private address
 * outranks a plain-http complaint: allowing it is what the operator has to do first.
 */
export function findRefusal(
  rules: readonly AllowRule[],
  target: Target,
  addresses: readonly string[],
): OutboundError | undefined {
  let httpsRefusal: OutboundError | undefined;
  for (const address of addresses) {
    const ip = ipaddr.process(address);
    if (isAllowed(rules, target, ip)) continue;
    const range = ip.range();
    if (range !== 'unicast') return blocked(target, ip, range);
    if (target.protocol === 'http:') httpsRefusal ??= httpsRequired(target);
  }
  return httpsRefusal;
}

function isAllowed(rules: readonly AllowRule[], target: Target, ip: IpAddress): boolean {
  return rules.some((rule) => {
    switch (rule.kind) {
      case 'host':
        return rule.port === target.port && rule.host === stripTrailingDot(target.hostname);
      case 'ip':
        return (
          (rule.port === undefined || rule.port === target.port) &&
          rule.ip.kind() === ip.kind() &&
          rule.ip.toNormalizedString() === ip.toNormalizedString()
        );
      case 'cidr':
        return rule.range[0].kind() === ip.kind() && ip.match(rule.range);
    }
  });
}

/** The entries that would allow this target, most specific first, as they would be written. */
function allowEntries(target: Target, ip: IpAddress): [specific: string, address: string] {
  const address = ip.toString();
  return [hostPort(target.isLiteral ? address : target.hostname, target.port), address];
}

/** "127.0.0.1:8080" for literals, "localhost:8080 resolves to 127.0.0.1, which" for names. */
function subject(target: Target, ip: IpAddress): string {
  const written = hostPort(target.hostname, target.port);
  if (!target.isLiteral) return `${written} resolves to ${ip.toString()}, which`;
  // An IPv4-mapped literal is judged as the IPv4 address it carries: show both.
  return target.hostname === ip.toString() ? written : `${written} (${ip.toString()})`;
}

function blocked(target: Target, ip: IpAddress, range: string): OutboundError {
  const [specific, address] = allowEntries(target, ip);
  return new OutboundError(
    'BLOCKED_TARGET',
    `Refused: ${subject(target, ip)} is not a public address (${range}). ` +
      `To allow it, add "${specific}" (or "${address}") to ${ALLOW_SETTING}.`,
    { target: hostPort(target.hostname, target.port), address, range, setting: ALLOW_SETTING },
  );
}

/**
 * Depends on the target alone (a literal is the address it names), so a refusal decided by a pool's
 * connector, which knows only the origin, can be restated with the URL of the request it failed.
 */
export function httpsRequired(target: Target): OutboundError {
  // As allowEntries writes it: a literal as the address it denotes (IPv4-mapped as its IPv4).
  const specific = hostPort(
    target.isLiteral ? ipaddr.process(target.hostname).toString() : target.hostname,
    target.port,
  );
  return new OutboundError(
    'HTTPS_REQUIRED',
    `Refused: ${describeUrl(target.url)} uses plain http; use https. Plain http is allowed only for ` +
      `targets listed in ${ALLOW_SETTING} (for this one, "${specific}").`,
    { target: hostPort(target.hostname, target.port), setting: ALLOW_SETTING },
  );
}
