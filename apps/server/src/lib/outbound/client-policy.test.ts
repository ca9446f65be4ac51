/**
 * The outbound policy end to end through request() and checkUrl(). Refused targets are called inside
 * withoutDialling, so even a policy bug can only fail an assertion, never send a packet.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { parseAllowList } from './allow-list.ts';
import { createOutboundHttp } from './client.ts';
import { OutboundError } from './errors.ts';
import {
  fakeLookup,
  startServer,
  swapDialledAddress,
  withoutDialling,
  type TestServer,
} from './test-support.ts';

const PUBLIC_IP = '93.184.215.14';

let server: TestServer;
before(async () => {
  server = await startServer((_req, res) => res.end('reached'));
});
after(() => server.close());

/** Asserts a refusal: its code, that nothing was dialled, and that the loopback server saw nothing. */
async function assertRefused(call: () => Promise<unknown>, code: string, message?: RegExp) {
  const connectionsBefore = server.connections;
  const { error, dialled } = await withoutDialling(call);
  assert.ok(error instanceof OutboundError, `expected an OutboundError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (message) assert.match(error.message, message);
  assert.deepEqual(dialled, [], 'nothing may be dialled');
  assert.equal(server.connections, connectionsBefore, 'the server must not see a connection');
  return error;
}

describe('request() refuses non-public targets before connecting', () => {
  const http = createOutboundHttp({ allow: [] });
  after(() => http.close());
  const get = (url: string) => () => http.request({ url, method: 'GET' });

  test('the tripwire itself works: an allowed call is dialled and stopped', async () => {
    const allowed = createOutboundHttp({ allow: parseAllowList('127.0.0.1') });
    const { error, dialled } = await withoutDialling(() =>
      allowed.request({ url: server.url(), method: 'GET' }),
    );
    assert.equal((error as OutboundError).code, 'CONNECTION_FAILED');
    assert.deepEqual(dialled, ['127.0.0.1']);
    await allowed.close();
  });

  test('127.0.0.1, with a message naming the setting and the entries to add', async () => {
    const error = await assertRefused(get(server.url('/hook?token=s3cret')), 'BLOCKED_TARGET');
    assert.equal(
      error.message,
      `Refused: 127.0.0.1:${server.port} is not a public address (loopback). To allow it, add ` +
        `"127.0.0.1:${server.port}" (or "127.0.0.1") to PARLEY_ALLOW_PRIVATE_TARGETS.`,
    );
    assert.equal(error.status, 400);
  });

  test('10.0.0.1 (private), refused by the literal check', async () => {
    await assertRefused(get('http://10.0.0.1/'), 'BLOCKED_TARGET', /\(private\)/);
  });

  test('169.254.169.254 (cloud metadata)', async () => {
    await assertRefused(get('http://169.254.169.254/latest/meta-data/'), 'BLOCKED_TARGET', /\(linkLocal\)/);
  });

  test('0.0.0.0, which Linux would route to this host', async () => {
    await assertRefused(get(`http://0.0.0.0:${server.port}/`), 'BLOCKED_TARGET', /\(unspecified\)/);
  });

  test('[::1]', async () => {
    await assertRefused(get(`http://[::1]:${server.port}/`), 'BLOCKED_TARGET', /\[::1\]:\d+ is not/);
  });

  test('[::ffff:127.0.0.1] (IPv4-mapped IPv6)', async () => {
    await assertRefused(
      get(`http://[::ffff:127.0.0.1]:${server.port}/`),
      'BLOCKED_TARGET',
      /\(127\.0\.0\.1\) is not/,
    );
  });

  test('decimal 2130706433 and hex 0x7f000001 forms of 127.0.0.1', async () => {
    await assertRefused(
      get(`http://2130706433:${server.port}/`),
      'BLOCKED_TARGET',
      /^Refused: 127\.0\.0\.1:/,
    );
    await assertRefused(
      get(`http://0x7f000001:${server.port}/`),
      'BLOCKED_TARGET',
      /^Refused: 127\.0\.0\.1:/,
    );
  });

  test('other private, CGNAT and multicast literals', async () => {
    for (const host of ['192.168.1.1', '172.16.0.1', '100.64.0.1', '224.0.0.1', '[fd00::1]', '[fe80::1]']) {
      await assertRefused(get(`http://${host}/`), 'BLOCKED_TARGET');
    }
  });

  // tls.connect does not go through net.connect, so the tripwire cannot see https dials: https is
  // tested only towards the loopback server, where the connection count is the proof.
  test('https to a loopback literal', async () => {
    await assertRefused(get(`https://127.0.0.1:${server.port}/`), 'BLOCKED_TARGET');
  });

  test('localhost, resolved by the system resolver to loopback', async () => {
    await assertRefused(
      get(`http://localhost:${server.port}/`),
      'BLOCKED_TARGET',
      new RegExp(
        `^Refused: localhost:${server.port} resolves to (127\\.0\\.0\\.1|::1), which is not a public address`,
      ),
    );
  });
});

describe('request() checks every DNS answer in the connector', () => {
  test('a name with one public and one private answer is refused, in either order', async () => {
    for (const answers of [
      [PUBLIC_IP, '127.0.0.1'],
      ['127.0.0.1', PUBLIC_IP],
    ]) {
      const lookup = fakeLookup({ 'mixed.test': answers });
      const http = createOutboundHttp({ allow: [], lookup });
      await assertRefused(
        () => http.request({ url: `http://mixed.test:${server.port}/`, method: 'GET' }),
        'BLOCKED_TARGET',
        /mixed\.test:\d+ resolves to 127\.0\.0\.1/,
      );
      assert.deepEqual(lookup.queries, ['mixed.test']);
      await http.close();
    }
  });

  test('plain http to a public-resolving name is HTTPS_REQUIRED, decided before dialling', async () => {
    const lookup = fakeLookup({ 'public.test': [PUBLIC_IP] });
    const http = createOutboundHttp({ allow: [], lookup });
    const error = await assertRefused(
      () => http.request({ url: 'http://public.test/hook?token=s3cret', method: 'POST', body: '{}' }),
      'HTTPS_REQUIRED',
      /PARLEY_ALLOW_PRIVATE_TARGETS \(for this one, "public\.test:80"\)/,
    );
    // Decided by the origin's connector, but naming the URL of this call.
    assert.match(error.message, /^Refused: http:\/\/public\.test\/hook uses plain http;/);
    assert.doesNotMatch(error.message, /s3cret/);
    assert.deepEqual(lookup.queries, ['public.test']);
    await http.close();
  });

  test('a failing lookup is DNS_FAILED', async () => {
    const http = createOutboundHttp({ allow: [], lookup: fakeLookup({}) });
    const error = await assertRefused(
      () => http.request({ url: 'https://nowhere.test/', method: 'GET' }),
      'DNS_FAILED',
      /Could not resolve nowhere\.test \(ENOTFOUND\)/,
    );
    assert.equal(error.status, 502);
    await http.close();
  });

  test('the connected address is re-checked: a rebinding answer swapped in at connect time is refused', async () => {
    // The lookup answers 127.0.0.2 (allowed); the dial is then steered to 127.0.0.1 (not allowed),
    // where the server listens. Only the check of socket.remoteAddress can catch it.
    const http = createOutboundHttp({
      allow: parseAllowList('127.0.0.2'),
      lookup: fakeLookup({ 'rebind.test': ['127.0.0.2'] }),
    });
    const requestsBefore = server.requests.length;
    const undo = swapDialledAddress('127.0.0.1');
    try {
      await assert.rejects(http.request({ url: `http://rebind.test:${server.port}/`, method: 'GET' }), {
        code: 'BLOCKED_TARGET',
        message: new RegExp(`rebind\\.test:${server.port} resolves to 127\\.0\\.0\\.1`),
      });
    } finally {
      undo();
    }
    assert.equal(server.requests.length, requestsBefore, 'no request may be sent on the refused socket');
    await http.close();
  });
});

describe('checkUrl()', () => {
  const lookup = fakeLookup({
    'public.test': [PUBLIC_IP],
    'mixed.test': [PUBLIC_IP, '10.0.0.1'],
    'lan.test': ['10.0.0.1'],
  });
  const http = createOutboundHttp({ allow: parseAllowList('lan.test:8080'), lookup });
  after(() => http.close());
  const check = (url: string) => () => http.checkUrl(url);

  test('accepts https to a public name and an allowed private target over http', async () => {
    await assertRefusedNot(check('https://public.test/hook'));
    await assertRefusedNot(check('http://lan.test:8080/hook'));
  });

  test('refuses what request() would refuse, with the same codes', async () => {
    await assertRefused(check('http://public.test/'), 'HTTPS_REQUIRED');
    await assertRefused(check('https://mixed.test/'), 'BLOCKED_TARGET', /resolves to 10\.0\.0\.1/);
    await assertRefused(
      check('https://lan.test/'),
      'BLOCKED_TARGET',
      /add "lan\.test:443" \(or "10\.0\.0\.1"\)/,
    );
    await assertRefused(check('https://10.0.0.1/'), 'BLOCKED_TARGET');
    await assertRefused(check('https://nowhere.test/'), 'DNS_FAILED');
    await assertRefused(check('ftp://public.test/'), 'INVALID_URL');
  });

  test('never resolves an IP literal', async () => {
    const queries = lookup.queries.length;
    await assertRefused(check('https://192.168.0.1/'), 'BLOCKED_TARGET');
    assert.equal(lookup.queries.length, queries);
  });
});

async function assertRefusedNot(call: () => Promise<unknown>) {
  const { error, dialled } = await withoutDialling(call);
  assert.equal(error, undefined);
  assert.deepEqual(dialled, []);
}
