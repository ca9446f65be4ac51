import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { describeUrl, hostPort, parseTarget } from './target.ts';

describe('parseTarget', () => {
  test('WHATWG parsing turns decimal, hex, octal and short IPv4 forms into the dotted address', () => {
    for (const url of ['http://2130706433/', 'http://0x7f000001/', 'http://0177.0.0.1/', 'http://127.1/']) {
      const target = parseTarget(url);
      assert.equal(target.hostname, '127.0.0.1', url);
      assert.equal(target.isLiteral, true, url);
    }
  });

  test('IPv6 literals lose their brackets; IPv4-mapped ones stay IPv6 text for the policy to unmap', () => {
    assert.equal(parseTarget('http://[::1]:8080/').hostname, '::1');
    const mapped = parseTarget('http://[::ffff:127.0.0.1]/');
    assert.equal(mapped.hostname, '::ffff:7f00:1');
    assert.equal(mapped.isLiteral, true);
  });

  test('the port defaults by scheme; names are not literals', () => {
    assert.deepEqual(
      [parseTarget('https://Example.COM/x'), parseTarget('http://example.com:8080')].map((t) => [
        t.protocol,
        t.hostname,
        t.port,
        t.isLiteral,
      ]),
      [
        ['https:', 'example.com', 443, false],
        ['http:', 'example.com', 8080, false],
      ],
    );
  });

  const invalid: [string, RegExp][] = [
    ['not a url', /could not be parsed/],
    ['/relative/path', /could not be parsed/],
    ['ftp://example.com/', /only http and https are supported, not "ftp:"/],
    ['file:///etc/passwd', /not "file:"/],
    ['https://user:hunter2@example.com/', /credentials in the URL/],
  ];
  for (const [url, message] of invalid) {
    test(`refuses ${url} as INVALID_URL without echoing it`, () => {
      assert.throws(
        () => parseTarget(url),
        (error: Error & { code: string; status: number }) => {
          assert.equal(error.code, 'INVALID_URL');
          assert.equal(error.status, 400);
          assert.match(error.message, message);
          assert.doesNotMatch(error.message, /hunter2|passwd/);
          return true;
        },
      );
    });
  }
});

test('describeUrl drops the query string and fragment, where tokens travel', () => {
  assert.equal(
    describeUrl(new URL('https://crm.example/api/find?token=s3cret#x')),
    'https://crm.example/api/find',
  );
});

test('hostPort brackets IPv6 only', () => {
  assert.deepEqual(
    [hostPort('::1', 80), hostPort('10.0.0.1', 80), hostPort('crm.lan', 443)],
    ['[::1]:80', '10.0.0.1:80', 'crm.lan:443'],
  );
});
