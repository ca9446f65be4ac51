import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseAllowList, type AllowRule } from './allow-list.ts';

/** Rules as comparable plain text. */
const show = (rule: AllowRule) => {
  switch (rule.kind) {
    case 'ip':
      return `ip ${rule.ip.toString()} port ${rule.port ?? 'any'}`;
    case 'cidr':
      return `cidr ${rule.range[0].toString()}/${rule.range[1]}`;
    case 'host':
      return `host ${rule.host} port ${rule.port}`;
  }
};

describe('parseAllowList', () => {
  test('an empty value allows nothing', () => {
    assert.deepEqual(parseAllowList(''), []);
    assert.deepEqual(parseAllowList(' , ,'), []);
  });

  test('reads ip, ip:port, CIDR and host:port, trimming spaces', () => {
    const rules = parseAllowList(
      ' 10.0.0.5 , 127.0.0.1:8080, 10.0.0.0/8, ::1, [::1]:8080, [fd00::1], fd00::/8, crm.lan:443, LocalHost.:3000',
    );
    assert.deepEqual(rules.map(show), [
      'ip 10.0.0.5 port any',
      'ip 127.0.0.1 port 8080',
      'cidr 10.0.0.0/8',
      'ip ::1 port any',
      'ip ::1 port 8080',
      'ip fd00::1 port any',
      'cidr fd00::/8',
      'host crm.lan port 443',
      'host localhost port 3000',
    ]);
    assert.equal(rules[1]?.source, '127.0.0.1:8080');
  });

  test('IPv4-mapped IPv6 entries become the IPv4 they denote, since addresses are compared that way', () => {
    assert.deepEqual(parseAllowList('::ffff:127.0.0.1, ::ffff:10.0.0.0/104').map(show), [
      'ip 127.0.0.1 port any',
      'cidr 10.0.0.0/8',
    ]);
  });

  test('host names are normalized like URL host names (IDN to punycode)', () => {
    assert.deepEqual(parseAllowList('münchen.example:443').map(show), [
      'host xn--mnchen-3ya.example port 443',
    ]);
  });

  const garbage: [string, RegExp][] = [
    ['crm.lan', /"crm\.lan" is a host name without a port/],
    ['10.0.0.0/33', /"10\.0\.0\.0\/33" is not a valid CIDR range/],
    ['not a cidr/8', /is not a valid CIDR range/],
    ['127.0.0.1:0', /"127\.0\.0\.1:0" has an invalid port/],
    ['127.0.0.1:65536', /has an invalid port/],
    ['crm.lan:http', /"crm\.lan:http" has an invalid port/],
    ['[crm.lan]:80', /has brackets around something that is not an IPv6 address/],
    ['[::1', /"\[::1" has no valid host name before the port/],
    ['http://crm.lan:80', /"http:\/\/crm\.lan:80" is a URL; write only its host:port/],
    ['user@crm.lan:80', /has no valid host name before the port/],
    [':8080', /has no valid host name before the port/],
    ['0x7f000001:80', /non-standard form; write it as 127\.0\.0\.1/],
    ['127.1', /"127\.1" is a host name without a port/],
  ];
  for (const [entry, message] of garbage) {
    test(`refuses ${JSON.stringify(entry)} naming the entry and the setting`, () => {
      assert.throws(
        () => parseAllowList(`10.0.0.1, ${entry}`),
        (error: Error) => {
          assert.match(error.message, /^PARLEY_ALLOW_PRIVATE_TARGETS: /);
          assert.match(error.message, message);
          assert.match(error.message, /Use ip, ip:port, CIDR or host:port/);
          return true;
        },
      );
    });
  }
});
