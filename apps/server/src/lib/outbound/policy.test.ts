import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseAllowList } from './allow-list.ts';
import { findRefusal } from './policy.ts';
import { parseTarget } from './target.ts';

const judge = (url: string, addresses: string[], allow = '') =>
  findRefusal(parseAllowList(allow), parseTarget(url), addresses);

describe('findRefusal: which addresses are public', () => {
  const notPublic: [string, string][] = [
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['169.254.169.254', 'linkLocal'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fd00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    // IPv4-mapped IPv6 is judged as the IPv4 address it carries.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    // NAT64 could reach any IPv4 address, private ones included.
    ['64:ff9b::a00:1', 'rfc6052'],
  ];
  for (const [address, range] of notPublic) {
    test(`${address} is refused as ${range}`, () => {
      const refusal = judge('https://crm.example/', [address]);
      assert.equal(refusal?.code, 'BLOCKED_TARGET');
      assert.equal(refusal?.details?.range, range);
    });
  }

  for (const address of ['8.8.8.8', '93.184.215.14', '2606:4700:4700::1111']) {
    test(`${address} is public: https passes, plain http needs an allow entry`, () => {
      assert.equal(judge('https://crm.example/', [address]), undefined);
      assert.equal(judge('http://crm.example/', [address])?.code, 'HTTPS_REQUIRED');
    });
  }
});

describe('findRefusal: every answer counts', () => {
  test('one private answer among public ones refuses the name, in either order', () => {
    assert.equal(judge('https://crm.example/', ['8.8.8.8', '10.0.0.1'])?.code, 'BLOCKED_TARGET');
    assert.equal(judge('https://crm.example/', ['10.0.0.1', '8.8.8.8'])?.code, 'BLOCKED_TARGET');
  });

  test('a private answer outranks the plain-http complaint', () => {
    assert.equal(judge('http://crm.example/', ['8.8.8.8', '10.0.0.1'])?.code, 'BLOCKED_TARGET');
  });
});

describe('findRefusal: allow rules', () => {
  test('an ip rule allows that address on any port, and plain http to it', () => {
    assert.equal(judge('http://10.0.0.5:8080/', ['10.0.0.5'], '10.0.0.5'), undefined);
    assert.equal(judge('http://crm.lan:9000/', ['10.0.0.5'], '10.0.0.5'), undefined);
    assert.equal(judge('http://10.0.0.6/', ['10.0.0.6'], '10.0.0.5')?.code, 'BLOCKED_TARGET');
  });

  test('an ip:port rule allows that port only', () => {
    assert.equal(judge('http://127.0.0.1:8080/', ['127.0.0.1'], '127.0.0.1:8080'), undefined);
    assert.equal(judge('http://127.0.0.1:8081/', ['127.0.0.1'], '127.0.0.1:8080')?.code, 'BLOCKED_TARGET');
  });

  test('a CIDR rule allows its range on any port', () => {
    assert.equal(judge('http://10.1.2.3:1/', ['10.1.2.3'], '10.0.0.0/8'), undefined);
    assert.equal(judge('http://11.0.0.1/', ['11.0.0.1'], '10.0.0.0/8')?.code, 'HTTPS_REQUIRED');
    assert.equal(judge('http://[fd00::5]/', ['fd00::5'], 'fd00::/8'), undefined);
  });

  test('an IPv4 rule also allows the IPv4-mapped IPv6 form of the address', () => {
    assert.equal(judge('http://[::ffff:127.0.0.1]:8080/', ['::ffff:7f00:1'], '127.0.0.1:8080'), undefined);
  });

  test('a host:port rule allows the name on that port whatever it resolves to', () => {
    assert.equal(judge('http://crm.lan:8080/', ['10.0.0.1', '127.0.0.1'], 'crm.lan:8080'), undefined);
    assert.equal(judge('http://CRM.lan.:8080/', ['10.0.0.1'], 'crm.lan:8080'), undefined);
    assert.equal(judge('http://crm.lan:8081/', ['10.0.0.1'], 'crm.lan:8080')?.code, 'BLOCKED_TARGET');
    assert.equal(judge('http://other.lan:8080/', ['10.0.0.1'], 'crm.lan:8080')?.code, 'BLOCKED_TARGET');
  });
});

describe('findRefusal: messages name the setting and the entry to add', () => {
  test('for an IP literal', () => {
    assert.equal(
      judge('http://127.0.0.1:8080/hook?token=s3cret', ['127.0.0.1'])?.message,
      'Refused: 127.0.0.1:8080 is not a public address (loopback). ' +
        'To allow it, add "127.0.0.1:8080" (or "127.0.0.1") to PARLEY_ALLOW_PRIVATE_TARGETS.',
    );
  });

  test('for an IPv6 and an IPv4-mapped literal', () => {
    assert.equal(
      judge('http://[::1]:8080/', ['::1'])?.message,
      'Refused: [::1]:8080 is not a public address (loopback). ' +
        'To allow it, add "[::1]:8080" (or "::1") to PARLEY_ALLOW_PRIVATE_TARGETS.',
    );
    assert.equal(
      judge('http://[::ffff:127.0.0.1]:8080/', ['::ffff:7f00:1'])?.message,
      'Refused: [::ffff:7f00:1]:8080 (127.0.0.1) is not a public address (loopback). ' +
        'To allow it, add "127.0.0.1:8080" (or "127.0.0.1") to PARLEY_ALLOW_PRIVATE_TARGETS.',
    );
  });

  test('for a name', () => {
    assert.equal(
      judge('https://crm.lan/', ['10.0.0.7'])?.message,
      'Refused: crm.lan:443 resolves to 10.0.0.7, which is not a public address (private). ' +
        'To allow it, add "crm.lan:443" (or "10.0.0.7") to PARLEY_ALLOW_PRIVATE_TARGETS.',
    );
  });

  test('for plain http, without the query string', () => {
    assert.equal(
      judge('http://crm.example/find?token=s3cret', ['8.8.8.8'])?.message,
      'Refused: http://crm.example/find uses plain http; use https. Plain http is allowed only for ' +
        'targets listed in PARLEY_ALLOW_PRIVATE_TARGETS (for this one, "crm.example:80").',
    );
  });
});
