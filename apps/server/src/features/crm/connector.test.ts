// The connector against a real HTTP CRM on loopback: what goes on the wire for every type, method
// and auth type, and the stable error of every way a call can fail.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { crmEndpointTypes, type CrmEndpointType } from '@parley/contract';
import { createOutboundHttp } from '../../lib/outbound/index.ts';
import { assertNoSecrets, directTools } from '../../../test/helpers/direct-tools.ts';
import {
  crmFixtures,
  startFakeCrm,
  type FakeCrm,
  type FakeCrmRequest,
} from '../../../test/helpers/fake-crm.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import {
  callCrmEndpoint,
  crmTools,
  getRequestSigningSecret,
  type CrmCallOutcome,
  type CrmCallParams,
} from './index.ts';

const TOKEN = 'tok-secret-4f1a9c';
const HEADER_VALUE = 'hdr-secret-7b2e11';
const FIELD_VALUE = 'field-secret-55c0aa';
const PHONE = '+34655123987';
const RELATED = ['+34911222333', '+34600111222'];

let testApp: TestApp;
let crm: FakeCrm;
before(async () => {
  [testApp, crm] = await Promise.all([startTestApp(), startFakeCrm()]);
});
after(async () => {
  await crm.close();
  await testApp.close();
});

/** A new shop with one endpoint saved through update_crm_endpoints; the fake CRM checks its signatures. */
async function shopWithEndpoint(definition: Record<string, unknown> & { type: CrmEndpointType }) {
  const { shopId } = await testApp.createShop();
  await directTools(crmTools, testApp.deps, shopId).apply('update_crm_endpoints', {
    add_crm_endpoint: { url: crm.urlFor(definition.type), ...definition },
  });
  crm.verifySignatures({
    secret: await getRequestSigningSecret(testApp.deps, shopId),
    now: () => testApp.clock.now(),
  });
  const call = <T extends CrmEndpointType>(type: T, params: CrmCallParams) =>
    callCrmEndpoint(testApp.deps, shopId, type, params);
  return { shopId, call };
}

/** The one request the fake CRM received since `count` requests. */
function onlyRequestSince(count: number): FakeCrmRequest {
  const received = crm.requests.slice(count);
  assert.equal(received.length, 1, `expected one request, got ${received.length}`);
  return received[0] as FakeCrmRequest;
}

function expectOk<T extends CrmEndpointType>(outcome: CrmCallOutcome<T>) {
  if (outcome.status !== 'ok') return assert.fail(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function expectError<T extends CrmEndpointType>(outcome: CrmCallOutcome<T>, code: string) {
  if (outcome.status !== 'error') return assert.fail(`expected an error, got ${JSON.stringify(outcome)}`);
  assert.equal(outcome.error.code, code, outcome.error.message);
  return outcome;
}

/** What each type is asked and how many entries its fixture answers with. */
const cases: {
  [T in CrmEndpointType]: {
    params: CrmCallParams;
    entries: (outcome: CrmCallOutcome<T> & { status: 'ok' }) => number;
    expected: number;
  };
} = {
  sidePanel_CustomerInfo: {
    params: { phone: PHONE, relatedphones: RELATED },
    entries: ({ answer }) => answer.customers.length,
    expected: crmFixtures.sidePanel_CustomerInfo.customers.length,
  },
  ai_CustomerInitialInfo: {
    params: { phone: PHONE, relatedphones: RELATED },
    entries: ({ answer }) => answer.customers.length + (answer.context === null ? 0 : 1),
    expected: 2,
  },
  sidePanel_CustomerFindToJoin: {
    params: { query: 'Lucía', phone: PHONE },
    entries: ({ answer }) => answer.customers.length,
    expected: crmFixtures.sidePanel_CustomerFindToJoin.customers.length,
  },
  search_Products: {
    params: { query: 'shoes', limit: 5 },
    entries: ({ answer }) => answer.products.length,
    expected: crmFixtures.search_Products.products.length,
  },
  globalSearch: {
    params: { query: 'Lucía', limit: 5 },
    entries: ({ answer }) => answer.results.length,
    expected: crmFixtures.globalSearch.results.length,
  },
  verify_conversion: {
    params: { phone: PHONE, since: '2026-02-23T10:00:00.000Z' },
    entries: ({ answer }) => (answer.converted ? answer.orders.length : 0),
    expected: 1,
  },
};

/** The parameters as the CRM received them: lists as sent (comma text in a query, arrays in JSON). */
function receivedParams(request: FakeCrmRequest): Record<string, unknown> {
  if (request.method === 'GET') return Object.fromEntries(request.query);
  return JSON.parse(request.body) as Record<string, unknown>;
}

const onTheWire = (params: CrmCallParams, method: 'GET' | 'POST') =>
  Object.fromEntries(
    Object.entries(params).map(([name, value]) => [
      name,
      method === 'GET' && Array.isArray(value) ? value.join(',') : method === 'GET' ? String(value) : value,
    ]),
  );

describe('every type and method', () => {
  for (const type of crmEndpointTypes) {
    for (const method of ['GET', 'POST'] as const) {
      test(`${type} over ${method}: parameters, token and signature arrive, the answer is normalized`, async () => {
        const { call } = await shopWithEndpoint({ type, method, token: TOKEN });
        const { params, entries, expected } = cases[type] as (typeof cases)['sidePanel_CustomerInfo'];
        const seen = crm.requests.length;

        const outcome = expectOk(await call(type, params));
        assert.equal(outcome.httpStatus, 200);
        assert.equal(outcome.answer.found, true);
        assert.equal(entries(outcome as never), expected);
        assert.deepEqual(outcome.warnings, []);

        const request = onlyRequestSince(seen);
        assert.equal(request.method, method);
        assert.equal(request.path, `/crm/${type}`);
        assert.deepEqual(receivedParams(request), { ...onTheWire(params, method), token: TOKEN });
        assert.deepEqual(request.signature, { ok: true, timestamp: testApp.clock.now().getTime() / 1000 });
        assert.equal(request.headers.accept, 'application/json');
        assert.equal(request.headers['user-agent'], 'Parley/test');
        assert.equal(request.headers['content-type'], method === 'POST' ? 'application/json' : undefined);
      });
    }
  }
});

describe('authentication on the wire', () => {
  const type = 'sidePanel_CustomerInfo';
  const params = { phone: PHONE };

  test('configured headers and header auth arrive as headers', async () => {
    const { call } = await shopWithEndpoint({
      type,
      headers: { 'X-Api-Key': HEADER_VALUE },
      auth: { type: 'header', fields: { 'X-Auth': FIELD_VALUE } },
    });
    const seen = crm.requests.length;
    expectOk(await call(type, params));
    const request = onlyRequestSince(seen);
    assert.equal(request.headers['x-api-key'], HEADER_VALUE);
    assert.equal(request.headers['x-auth'], FIELD_VALUE);
    assert.equal(request.signature?.ok, true);
  });

  test('basic auth arrives as one Authorization header', async () => {
    const { call } = await shopWithEndpoint({
      type,
      auth: { type: 'basic', fields: { username: 'ana', password: FIELD_VALUE } },
    });
    const seen = crm.requests.length;
    expectOk(await call(type, params));
    const authorization = onlyRequestSince(seen).headers.authorization ?? '';
    assert.equal(
      Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString(),
      `ana:${FIELD_VALUE}`,
    );
  });

  for (const method of ['GET', 'POST'] as const) {
    test(`body auth over ${method} arrives ${method === 'GET' ? 'in the query (no body)' : 'in the JSON body'}`, async () => {
      const { call } = await shopWithEndpoint({
        type,
        method,
        auth: { type: 'body', fields: { api_key: FIELD_VALUE } },
      });
      const seen = crm.requests.length;
      expectOk(await call(type, params));
      const request = onlyRequestSince(seen);
      assert.deepEqual(receivedParams(request), { phone: PHONE, api_key: FIELD_VALUE });
      assert.equal(request.signature?.ok, true);
    });

    test(`query auth over ${method} arrives in the query string`, async () => {
      const { call } = await shopWithEndpoint({
        type,
        method,
        auth: { type: 'query', fields: { api_key: FIELD_VALUE } },
      });
      const seen = crm.requests.length;
      expectOk(await call(type, params));
      const request = onlyRequestSince(seen);
      assert.equal(request.query.get('api_key'), FIELD_VALUE);
      assert.equal(request.signature?.ok, true);
    });
  }

  test('the signature uses the current secret: after a rotation the old one no longer verifies', async () => {
    const { shopId, call } = await shopWithEndpoint({ type });
    const old = await getRequestSigningSecret(testApp.deps, shopId);
    await directTools(crmTools, testApp.deps, shopId).apply('rotate_request_signing_secret');
    const seen = crm.requests.length;
    expectOk(await call(type, params));
    assert.deepEqual(onlyRequestSince(seen).signature, {
      ok: false,
      code: 'NO_MATCHING_SIGNATURE',
      message: 'X-Parley-Signature does not match this request.',
    });
    assert.notEqual(await getRequestSigningSecret(testApp.deps, shopId), old);
  });
});

describe('answers', () => {
  const type = 'sidePanel_CustomerInfo';
  const path = '/crm/answers';

  test('found: false is a good answer with no customers', async () => {
    crm.answer(path, { json: { found: false, customers: [] } });
    const { call } = await shopWithEndpoint({ type, url: crm.url(path) });
    const outcome = expectOk(await call(type, { phone: PHONE }));
    assert.deepEqual(outcome.answer, { found: false, customers: [] });
  });

  test('"customer" (one) and "customers" (a list) both become a list', async () => {
    const { call } = await shopWithEndpoint({ type, url: crm.url(path) });
    crm.answer(path, { json: { found: true, customer: { name: 'Ana', phone: PHONE } } });
    const one = expectOk(await call(type, { phone: PHONE }));
    assert.deepEqual(
      one.answer.customers.map((customer) => customer.name),
      ['Ana'],
    );
    crm.answer(path, { json: { found: true, customers: [{ name: 'Ana' }, { name: 'Bea' }] } });
    const two = expectOk(await call(type, { phone: PHONE }));
    assert.deepEqual(
      two.answer.customers.map((customer) => customer.name),
      ['Ana', 'Bea'],
    );
  });

  test('a wrong field is a warning with its JSON path; the rest is used', async () => {
    crm.answer(path, { json: { found: true, customers: [{ name: 'Ana', ordersCount: 'many' }] } });
    const { call } = await shopWithEndpoint({ type, url: crm.url(path) });
    const outcome = expectOk(await call(type, { phone: PHONE }));
    assert.equal(outcome.answer.customers[0]?.name, 'Ana');
    assert.deepEqual(
      outcome.warnings.map((warning) => warning.path),
      ['$.customers[0].ordersCount'],
    );
  });

  test('an unusable top-level shape is BAD_SHAPE, with the path and what to send', async () => {
    crm.answer(path, { json: [{ name: 'Ana' }] });
    const { call } = await shopWithEndpoint({ type, url: crm.url(path) });
    const outcome = expectError(await call(type, { phone: PHONE }), 'BAD_SHAPE');
    assert.equal(outcome.httpStatus, 200);
    assert.match(
      outcome.error.message,
      /^The CRM's answer cannot be used: \$: expected the answer to be a JSON object such as \{"found": true, "customers"/,
    );
  });
});

describe('errors', () => {
  const type = 'globalSearch';
  const params = { query: 'x', limit: 5 };

  test('not configured and not called', async () => {
    const { shopId } = await testApp.createShop();
    assert.deepEqual(await callCrmEndpoint(testApp.deps, shopId, type, params), { status: 'not_configured' });
  });

  test('HTTP 500: the status, a hint and the start of the body, with echoed secrets hidden', async () => {
    crm.answer('/crm/fails', (request) => ({
      status: 500,
      body: `Internal error while handling ${request.target} token=${request.query.get('token') ?? ''}`,
    }));
    const { call } = await shopWithEndpoint({ type, url: crm.url('/crm/fails'), token: TOKEN });
    const outcome = expectError(await call(type, params), 'HTTP_STATUS');
    assert.equal(outcome.httpStatus, 500);
    assert.match(
      outcome.error.message,
      /^The CRM answered HTTP 500; Parley needs 200 with JSON\. Hint: the CRM failed/,
    );
    assert.match(
      outcome.error.message,
      /The response starts: "Internal error while handling \/crm\/fails\?query=x&limit=5&token=\[set\]/,
    );
    assertNoSecrets(outcome, [TOKEN]);
  });

  test('401 points at the credentials and the signature', async () => {
    crm.answer('/crm/denied', { status: 401, json: { error: 'bad token' } });
    const { call } = await shopWithEndpoint({ type, url: crm.url('/crm/denied') });
    const outcome = expectError(await call(type, params), 'HTTP_STATUS');
    assert.match(outcome.error.message, /check the endpoint's token, headers and auth/);
  });

  test('a body that is not JSON is NOT_JSON, quoting its start', async () => {
    crm.answer('/crm/html', {
      body: '<html><body>Login</body></html>',
      headers: { 'content-type': 'text/html' },
    });
    const { call } = await shopWithEndpoint({ type, url: crm.url('/crm/html') });
    const outcome = expectError(await call(type, params), 'NOT_JSON');
    assert.match(
      outcome.error.message,
      /^The CRM answered 200 but the body is not JSON \(.+\) \(Content-Type: text\/html\)\./,
    );
    assert.match(outcome.error.message, /The response starts: "<html><body>Login<\/body><\/html>"$/);
  });

  test('an empty 200 is NOT_JSON', async () => {
    crm.answer('/crm/empty', { body: '' });
    const { call } = await shopWithEndpoint({ type, url: crm.url('/crm/empty') });
    assert.match(expectError(await call(type, params), 'NOT_JSON').error.message, /the body is empty/);
  });

  test('a body over 2 MB is refused as TOO_LARGE', async () => {
    crm.answer('/crm/huge', {
      body: Buffer.alloc(3 * 1024 * 1024, 0x20),
      headers: { 'content-type': 'application/json' },
    });
    const { call } = await shopWithEndpoint({ type, url: crm.url('/crm/huge') });
    assert.match(
      expectError(await call(type, params), 'TOO_LARGE').error.message,
      /exceeds the 2097152-byte limit/,
    );
  });

  test('a slow endpoint hits its own timeout: TIMEOUT, saying how to change it', async () => {
    let release: () => void = () => undefined;
    crm.answer('/crm/slow', {
      json: { found: false },
      delay: new Promise<void>((resolve) => (release = resolve)),
    });
    const { call } = await shopWithEndpoint({ type, url: crm.url('/crm/slow'), timeout_ms: 1_000 });
    const started = performance.now();
    const outcome = expectError(await call(type, params), 'TIMEOUT');
    release();
    assert.ok(performance.now() - started < 5_000, 'the per-endpoint timeout applies, not the 60 s default');
    assert.match(
      outcome.error.message,
      /did not answer completely within 1000 ms\. .*raise its timeout_ms \(at most 60000\)/,
    );
    assert.ok(outcome.latencyMs >= 900, `latency ${outcome.latencyMs}`);
  });

  test('a redirect is not followed: REDIRECT', async () => {
    crm.answer('/crm/moved', { redirect: crm.url('/crm/globalSearch'), status: 301 });
    const { call } = await shopWithEndpoint({ type, url: crm.url('/crm/moved') });
    const seen = crm.requests.length;
    const outcome = expectError(await call(type, params), 'REDIRECT');
    assert.match(outcome.error.message, /redirects are not followed\. Configure the final URL instead\./);
    assert.equal(onlyRequestSince(seen).path, '/crm/moved', 'the Location was not requested');
  });

  test('a target the outbound policy refuses is never contacted: BLOCKED_TARGET', async () => {
    // Saved while 127.0.0.1 was allowed; this process's policy no longer allows it.
    const { shopId } = await shopWithEndpoint({ type });
    const strict = createOutboundHttp({ allow: [] });
    try {
      const seen = crm.requests.length;
      const outcome = expectError(
        await callCrmEndpoint({ ...testApp.deps, outbound: strict }, shopId, type, params),
        'BLOCKED_TARGET',
      );
      assert.match(
        outcome.error.message,
        /127\.0\.0\.1.* is not a public address .*PARLEY_ALLOW_PRIVATE_TARGETS/,
      );
      assert.equal(outcome.httpStatus, undefined);
      assert.equal(crm.requests.length, seen);
    } finally {
      await strict.close();
    }
  });

  test('nothing listening: CONNECTION_FAILED', async () => {
    const { shopId } = await testApp.createShop();
    const gone = await startFakeCrm();
    await gone.close();
    await directTools(crmTools, testApp.deps, shopId).apply('update_crm_endpoints', {
      add_crm_endpoint: { type, url: gone.urlFor(type) },
    });
    const outcome = expectError(
      await callCrmEndpoint(testApp.deps, shopId, type, params),
      'CONNECTION_FAILED',
    );
    assert.match(outcome.error.message, new RegExp(`The connection to 127\\.0\\.0\\.1:${gone.port} failed`));
  });
});
