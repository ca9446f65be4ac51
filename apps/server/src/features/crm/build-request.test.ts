import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { verifyCrmRequest } from '@parley/webhooks';
import { assertNoSecrets } from '../../../test/helpers/direct-tools.ts';
import { buildCrmRequest, type CrmRequestInput } from './build-request.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const SIGNING_SECRET = 'signing-secret-9d1f22';
const TOKEN = 'tok-secret-4f1a9c';
const HEADER_VALUE = 'hdr-secret-7b2e11';
const FIELD_VALUE = 'field-secret-55c0aa';

const base: CrmRequestInput = {
  url: 'https://crm.example.com/api/customer',
  method: 'GET',
  credentials: {},
  params: { phone: '+34655123987', relatedphones: ['+34911222333', '+34600111222'] },
  signingSecret: SIGNING_SECRET,
  now: NOW,
  version: '1.2.3',
};

const build = (overrides: Partial<CrmRequestInput>) => buildCrmRequest({ ...base, ...overrides });

/** Asserts the request carries a signature a CRM verifies over exactly what is sent. */
function assertSigned(request: ReturnType<typeof buildCrmRequest>) {
  const url = new URL(request.url);
  const verified = verifyCrmRequest({
    secret: SIGNING_SECRET,
    headers: request.headers,
    method: request.method,
    pathAndQuery: url.pathname + url.search,
    body: request.body ?? '',
    now: NOW.getTime(),
  });
  assert.deepEqual(verified, { ok: true, timestamp: NOW.getTime() / 1000 });
}

describe('GET', () => {
  test('sends parameters in the query, a list as comma-separated text, and no body', () => {
    const request = build({ credentials: { token: TOKEN } });
    const url = new URL(request.url);
    assert.equal(url.pathname, '/api/customer');
    assert.equal(url.searchParams.get('phone'), '+34655123987');
    assert.equal(url.searchParams.get('relatedphones'), '+34911222333,+34600111222');
    assert.equal(url.searchParams.get('token'), TOKEN);
    assert.equal(request.body, undefined);
    assert.equal(request.headers.Accept, 'application/json');
    assert.equal(request.headers['User-Agent'], 'Parley/1.2.3');
    assert.equal(request.headers['Content-Type'], undefined);
    assertSigned(request);
  });

  test('signs the target as the outbound client sends it, whatever the configured URL holds', () => {
    // Characters a URL parser escapes, an IPv6 host, a port, an empty query and a fragment.
    for (const url of [
      'https://crm.example.com/a path/ñ/it\'s?q=<b> "c"&r=%zz#frag',
      'http://[::1]:8080/crm?',
      'https://CRM.Example.com:443/./x/../customer',
    ]) {
      assertSigned(build({ url, params: { phone: '+34655123987', query: "a&b=c d'e" } }));
    }
  });

  test('leaves out empty lists and undefined values, writes numbers as text, keeps the URL own query', () => {
    const request = build({
      url: 'https://crm.example.com/api?shop=es&x=a%20b',
      params: { query: 'blue shoes', limit: 5, relatedphones: [], phone: undefined },
    });
    assert.equal(request.url, 'https://crm.example.com/api?shop=es&x=a%20b&query=blue+shoes&limit=5');
    assertSigned(request);
  });

  test('auth query and body fields travel in the query (a GET has no body)', () => {
    for (const type of ['query', 'body'] as const) {
      const request = build({ credentials: { auth: { type, fields: { api_key: FIELD_VALUE } } } });
      assert.equal(new URL(request.url).searchParams.get('api_key'), FIELD_VALUE, type);
      assert.equal(request.body, undefined);
      assertSigned(request);
    }
  });
});

describe('POST', () => {
  test('sends parameters as a JSON object (lists as arrays, numbers as numbers) with the token and auth body fields', () => {
    const request = build({
      method: 'POST',
      params: { ...base.params, limit: 5 },
      credentials: { token: TOKEN, auth: { type: 'body', fields: { api_key: FIELD_VALUE } } },
    });
    assert.equal(request.url, 'https://crm.example.com/api/customer');
    assert.equal(request.headers['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body ?? ''), {
      phone: '+34655123987',
      relatedphones: ['+34911222333', '+34600111222'],
      limit: 5,
      token: TOKEN,
      api_key: FIELD_VALUE,
    });
    assertSigned(request);
  });

  test('auth query fields stay in the query string, out of the body', () => {
    const request = build({
      method: 'POST',
      credentials: { auth: { type: 'query', fields: { key: FIELD_VALUE } } },
    });
    assert.equal(new URL(request.url).searchParams.get('key'), FIELD_VALUE);
    assert.equal(JSON.parse(request.body ?? '').key, undefined);
    assertSigned(request);
  });

  test('an empty parameter list is still a JSON object', () => {
    const request = build({ method: 'POST', params: {} });
    assert.equal(request.body, '{}');
    assertSigned(request);
  });
});

describe('headers and auth', () => {
  test('configured headers are sent as given and replace Parley defaults whatever their case', () => {
    const request = build({
      credentials: { headers: { 'X-Api-Key': HEADER_VALUE, accept: 'application/vnd.crm+json' } },
    });
    assert.equal(request.headers['X-Api-Key'], HEADER_VALUE);
    assert.equal(request.headers.accept, 'application/vnd.crm+json');
    assert.equal(request.headers.Accept, undefined, 'one Accept header, not two');
  });

  test('header auth sends each field as a header; basic auth one Authorization header', () => {
    const header = build({ credentials: { auth: { type: 'header', fields: { 'X-Key': FIELD_VALUE } } } });
    assert.equal(header.headers['X-Key'], FIELD_VALUE);
    const basic = build({
      credentials: { auth: { type: 'basic', fields: { username: 'ana', password: 'p:ss wörd' } } },
    });
    assert.equal(basic.headers.Authorization, `Basic ${Buffer.from('ana:p:ss wörd').toString('base64')}`);
    assertSigned(basic);
  });

  test('a credential named like a parameter does not change what is looked up', () => {
    const request = build({ credentials: { auth: { type: 'query', fields: { phone: FIELD_VALUE } } } });
    assert.equal(new URL(request.url).searchParams.getAll('phone').join(), '+34655123987');
  });
});

describe('show()', () => {
  test('redacts the token, header values and auth fields, and keeps the signature', () => {
    const credentials = {
      token: TOKEN,
      headers: { 'X-Api-Key': HEADER_VALUE },
      auth: { type: 'query' as const, fields: { key: FIELD_VALUE } },
    };
    const get = build({ credentials });
    const shownGet = get.show();
    assert.equal(
      shownGet.url,
      'https://crm.example.com/api/customer?phone=%2B34655123987&relatedphones=%2B34911222333%2C%2B34600111222&token=[set]&key=[set]',
    );
    assert.equal(shownGet.headers['X-Api-Key'], '[set]');
    assert.equal(shownGet.headers['X-Parley-Signature'], get.headers['X-Parley-Signature']);
    assert.match(shownGet.headers['X-Parley-Signature'] ?? '', /^[0-9a-f]{64}$/);
    assertNoSecrets(shownGet, [TOKEN, HEADER_VALUE, FIELD_VALUE]);

    const post = build({
      method: 'POST',
      credentials: {
        ...credentials,
        auth: { type: 'basic', fields: { username: 'ana-user', password: FIELD_VALUE } },
      },
    });
    const shownPost = post.show();
    assert.deepEqual(shownPost.body, {
      phone: '+34655123987',
      relatedphones: ['+34911222333', '+34600111222'],
      token: '[set]',
    });
    assert.equal(shownPost.headers.Authorization, '[set]');
    assertNoSecrets(shownPost, [
      TOKEN,
      HEADER_VALUE,
      FIELD_VALUE,
      'ana-user',
      Buffer.from(`ana-user:${FIELD_VALUE}`).toString('base64'),
    ]);
  });
});
