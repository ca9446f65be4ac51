import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { crmEndpointTypes } from '@parley/contract';
import {
  assertAppError,
  assertNoSecrets,
  assertToolMetadata,
  directTools,
  type DirectTools,
} from '../../../test/helpers/direct-tools.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { crmTools, getCrmEndpointForCall } from './index.ts';

// Loopback literals only: PARLEY_ALLOW_PRIVATE_TARGETS allows 127.0.0.1 in tests, and a literal
// needs no DNS, so checking a URL never leaves the machine.
const CRM_URL = 'http://127.0.0.1:9/crm/customer';
const OTHER_URL = 'http://127.0.0.1:9/crm/v2/customer';

const TOKEN = 'tok-secret-4f1a9c';
const HEADER_VALUE = 'hdr-secret-7b2e11';
const PASSWORD = 'pw-secret-c93d05';
const USERNAME = 'user-secret-02aa7e';
const SECRETS = [TOKEN, HEADER_VALUE, PASSWORD, USERNAME];

const fullEndpoint = {
  type: 'sidePanel_CustomerInfo',
  url: CRM_URL,
  method: 'post',
  token: TOKEN,
  headers: { 'X-Api-Key': HEADER_VALUE },
  auth: { type: 'basic', fields: { username: USERNAME, password: PASSWORD } },
  timeout_ms: 15_000,
};

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp();
});
after(() => testApp.close());

async function newShop(): Promise<{ shopId: string; tools: DirectTools }> {
  const { shopId } = await testApp.createShop();
  return { shopId, tools: directTools(crmTools, testApp.deps, shopId) };
}

const listEndpoints = async (tools: DirectTools) =>
  (await tools.run('get_crm_endpoints')) as {
    endpoints: Array<Record<string, unknown>>;
    not_configured: string[];
  };

test('every CRM tool has a title, a description of its side effects and truthful annotations', () => {
  assertToolMetadata(crmTools);
  assert.deepEqual(
    crmTools.map((tool) => tool.name),
    [
      'update_crm_endpoints',
      'test_crm_endpoint',
      'get_crm_endpoints',
      'rotate_request_signing_secret',
      'get_crm_health_status',
      'reset_crm_errors',
    ],
  );
});

describe('update_crm_endpoints', () => {
  test('previews an addition without writing it, then applies it with secrets sealed', async () => {
    const { shopId, tools } = await newShop();
    const preview = await tools.preview('update_crm_endpoints', { add_crm_endpoint: fullEndpoint });
    assert.match(
      preview.summary,
      /^add the sidePanel_CustomerInfo endpoint \(POST http:\/\/127\.0\.0\.1:9\/crm\/customer\)$/,
    );
    assert.deepEqual(preview.before, { sidePanel_CustomerInfo: null });
    assert.deepEqual(preview.after, {
      sidePanel_CustomerInfo: {
        type: 'sidePanel_CustomerInfo',
        url: CRM_URL,
        method: 'POST',
        timeout_ms: 15_000,
        token: '[set]',
        headers: { 'X-Api-Key': '[set]' },
        auth: { type: 'basic', fields: { username: '[set]', password: '[set]' } },
      },
    });
    assertNoSecrets(preview, SECRETS);
    assert.equal((await listEndpoints(tools)).endpoints.length, 0, 'a preview must not write');

    const result = await tools.apply('update_crm_endpoints', { add_crm_endpoint: fullEndpoint });
    assert.equal(result.status, 'applied');
    assertNoSecrets(result, SECRETS);

    const listed = await listEndpoints(tools);
    assertNoSecrets(listed.endpoints, SECRETS);
    assert.equal(listed.endpoints.length, 1);
    assert.deepEqual(listed.endpoints[0]?.health, {
      enabled: true,
      consecutive_errors: 0,
      last_error: null,
      last_error_at: null,
      last_success_at: null,
      disabled_at: null,
      last_probe_at: null,
    });
    assert.ok(!listed.not_configured.includes('sidePanel_CustomerInfo'));
    assert.equal(listed.not_configured.length, crmEndpointTypes.length - 1);

    const stored = await getCrmEndpointForCall(testApp.deps, shopId, 'sidePanel_CustomerInfo');
    assert.ok(stored !== undefined);
    assert.equal(stored.method, 'POST');
    assert.equal(stored.timeoutMs, 15_000);
    assert.deepEqual(stored.credentials, {
      token: TOKEN,
      headers: { 'X-Api-Key': HEADER_VALUE },
      auth: { type: 'basic', fields: { username: USERNAME, password: PASSWORD } },
    });
  });

  test('accepts the definition as a JSON string, with GET and a 60 s timeout by default', async () => {
    const { shopId, tools } = await newShop();
    await tools.apply('update_crm_endpoints', {
      add_crm_endpoint: JSON.stringify({ type: 'globalSearch', url: CRM_URL }),
    });
    const stored = await getCrmEndpointForCall(testApp.deps, shopId, 'globalSearch');
    assert.equal(stored?.method, 'GET');
    assert.equal(stored?.timeoutMs, 60_000);
    assert.deepEqual(stored?.credentials, {}, 'no credentials given, none stored');
  });

  test('replacing an existing type says so, keeps one endpoint per type and starts a clean health record', async () => {
    const { shopId, tools } = await newShop();
    await tools.apply('update_crm_endpoints', { add_crm_endpoint: fullEndpoint });
    const replacement = { type: 'sidePanel_CustomerInfo', url: OTHER_URL };

    const preview = await tools.preview('update_crm_endpoints', { add_crm_endpoint: replacement });
    assert.match(preview.summary, /replace the existing sidePanel_CustomerInfo endpoint/);
    assert.match(preview.summary, new RegExp(`POST ${CRM_URL} → GET ${OTHER_URL}`));
    assert.match(preview.consequence, /error counters are discarded/);
    assert.deepEqual(preview.before, {
      sidePanel_CustomerInfo: {
        type: 'sidePanel_CustomerInfo',
        url: CRM_URL,
        method: 'POST',
        timeout_ms: 15_000,
        token: '[set]',
        headers: { 'X-Api-Key': '[set]' },
        auth: { type: 'basic', fields: { username: '[set]', password: '[set]' } },
      },
    });
    assertNoSecrets(preview, SECRETS);

    const result = await tools.apply('update_crm_endpoints', { add_crm_endpoint: replacement });
    assert.match(String(result.summary), /replace the existing sidePanel_CustomerInfo endpoint/);
    const listed = await listEndpoints(tools);
    assert.equal(listed.endpoints.length, 1);
    assert.equal(listed.endpoints[0]?.url, OTHER_URL);
    const stored = await getCrmEndpointForCall(testApp.deps, shopId, 'sidePanel_CustomerInfo');
    assert.deepEqual(stored?.credentials, {}, 'the old secrets are gone with the old settings');
  });

  test('a replaced or removed secret makes the earlier preview stale (hidden state)', async () => {
    const { tools } = await newShop();
    await tools.apply('update_crm_endpoints', { add_crm_endpoint: fullEndpoint });
    const first = await tools.preview('update_crm_endpoints', {
      remove_crm_endpoint: 'sidePanel_CustomerInfo',
    });
    await tools.apply('update_crm_endpoints', {
      add_crm_endpoint: { ...fullEndpoint, token: 'another-token' },
    });
    const second = await tools.preview('update_crm_endpoints', {
      remove_crm_endpoint: 'sidePanel_CustomerInfo',
    });
    assert.deepEqual(first.before, second.before, 'redacted, the two tokens look alike');
    assert.notDeepEqual(first.hidden, second.hidden);
  });

  test('removes an endpoint; removing a type that is not configured lists the configured ones', async () => {
    const { shopId, tools } = await newShop();
    await tools.apply('update_crm_endpoints', { add_crm_endpoint: fullEndpoint });
    await tools.apply('update_crm_endpoints', {
      add_crm_endpoint: { type: 'search_Products', url: CRM_URL },
    });

    await assertAppError(
      tools.preview('update_crm_endpoints', { remove_crm_endpoint: 'globalSearch' }),
      'NOT_FOUND',
      /no CRM endpoint of type "globalSearch"/,
      /Existing: sidePanel_CustomerInfo, search_Products\./,
    );

    const preview = await tools.preview('update_crm_endpoints', { remove_crm_endpoint: 'search_Products' });
    assert.match(preview.summary, /^remove the search_Products endpoint \(GET /);
    assert.deepEqual(preview.after, { search_Products: null });
    await tools.apply('update_crm_endpoints', { remove_crm_endpoint: 'search_Products' });
    assert.equal(await getCrmEndpointForCall(testApp.deps, shopId, 'search_Products'), undefined);
    assert.notEqual(await getCrmEndpointForCall(testApp.deps, shopId, 'sidePanel_CustomerInfo'), undefined);
  });

  test('adds one type and removes another in the same call', async () => {
    const { shopId, tools } = await newShop();
    await tools.apply('update_crm_endpoints', { add_crm_endpoint: { type: 'globalSearch', url: CRM_URL } });
    const result = await tools.apply('update_crm_endpoints', {
      add_crm_endpoint: { type: 'search_Products', url: CRM_URL },
      remove_crm_endpoint: 'globalSearch',
    });
    assert.match(
      String(result.summary),
      /add the search_Products endpoint .*; remove the globalSearch endpoint/,
    );
    assert.equal(await getCrmEndpointForCall(testApp.deps, shopId, 'globalSearch'), undefined);
    assert.notEqual(await getCrmEndpointForCall(testApp.deps, shopId, 'search_Products'), undefined);
  });

  test('refuses what it cannot store, naming the path, and changes nothing', async () => {
    const { tools } = await newShop();
    await tools.apply('update_crm_endpoints', { add_crm_endpoint: fullEndpoint });
    const state = await listEndpoints(tools);
    const refused: Array<[Record<string, unknown>, string, RegExp]> = [
      [
        { add_crm_endpoint: { type: 'customerInfo', url: CRM_URL } },
        'VALIDATION_FAILED',
        new RegExp(
          `add_crm_endpoint\\.type: unknown CRM endpoint type "customerInfo"; valid types: ${crmEndpointTypes.join(', ')}`,
        ),
      ],
      [
        { remove_crm_endpoint: 'customerInfo' },
        'VALIDATION_FAILED',
        /remove_crm_endpoint: unknown CRM endpoint type "customerInfo"; valid types: sidePanel_CustomerInfo, /,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, timeout_ms: 60_001 } },
        'VALIDATION_FAILED',
        /add_crm_endpoint\.timeout_ms: must be at most 60000/,
      ],
      [
        { add_crm_endpoint: '{"type": "globalSearch", "url": ' },
        'VALIDATION_FAILED',
        /add_crm_endpoint: is a string but not valid JSON .*pass the object itself or its JSON text/,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, timeout: 5 } },
        'VALIDATION_FAILED',
        /add_crm_endpoint: unknown field\(s\) "timeout"/,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, method: 'PUT' } },
        'VALIDATION_FAILED',
        /add_crm_endpoint\.method: must be one of GET, POST/,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, headers: { 'X-Api-Key': 5 } } },
        'VALIDATION_FAILED',
        /add_crm_endpoint\.headers\.X-Api-Key: .*expected string/,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, headers: { 'X-Parley-Signature': 'forged' } } },
        'VALIDATION_FAILED',
        /add_crm_endpoint\.headers\.X-Parley-Signature: is set by Parley/,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, auth: { type: 'basic', fields: { username: 'u' } } } },
        'VALIDATION_FAILED',
        /add_crm_endpoint\.auth\.fields\.password: basic auth password is required/,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, auth: { type: 'oauth', fields: { a: 'b' } } } },
        'VALIDATION_FAILED',
        /add_crm_endpoint\.auth\.type: must be one of "header", "basic", "body", "query"/,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, url: 'crm.example.com/x' } },
        'VALIDATION_FAILED',
        /add_crm_endpoint\.url: must be an absolute/,
      ],
      [
        { add_crm_endpoint: { ...fullEndpoint, url: 'http://10.0.0.1/x' } },
        'BLOCKED_TARGET',
        /PARLEY_ALLOW_PRIVATE_TARGETS/,
      ],
      [{}, 'VALIDATION_FAILED', /Nothing to change: pass add_crm_endpoint, remove_crm_endpoint, or both/],
      [
        { add_crm_endpoint: fullEndpoint, remove_crm_endpoint: 'sidePanel_CustomerInfo' },
        'VALIDATION_FAILED',
        /already replaces/,
      ],
    ];
    for (const [args, code, pattern] of refused) {
      await assertAppError(tools.preview('update_crm_endpoints', args), code, pattern);
      await assertAppError(tools.apply('update_crm_endpoints', args), code, pattern);
    }
    assert.deepEqual(await listEndpoints(tools), state, 'a refused change must not write anything');
  });
});

test('one shop never sees or changes the endpoints of another', async () => {
  const a = await newShop();
  const b = await newShop();
  await a.tools.apply('update_crm_endpoints', { add_crm_endpoint: fullEndpoint });

  assert.equal((await listEndpoints(b.tools)).endpoints.length, 0);
  assert.equal(await getCrmEndpointForCall(testApp.deps, b.shopId, 'sidePanel_CustomerInfo'), undefined);
  await assertAppError(
    b.tools.apply('update_crm_endpoints', { remove_crm_endpoint: 'sidePanel_CustomerInfo' }),
    'NOT_FOUND',
    /Existing: none\./,
  );
  const preview = await b.tools.preview('update_crm_endpoints', {
    add_crm_endpoint: { type: 'sidePanel_CustomerInfo', url: OTHER_URL },
  });
  assert.match(preview.summary, /^add /, "another shop's endpoint is not a replacement");
  await b.tools.apply('update_crm_endpoints', {
    add_crm_endpoint: { type: 'sidePanel_CustomerInfo', url: OTHER_URL },
  });

  assert.equal(
    (await getCrmEndpointForCall(testApp.deps, b.shopId, 'sidePanel_CustomerInfo'))?.url,
    OTHER_URL,
  );
  await b.tools.apply('update_crm_endpoints', { remove_crm_endpoint: 'sidePanel_CustomerInfo' });
  assert.equal(await getCrmEndpointForCall(testApp.deps, b.shopId, 'sidePanel_CustomerInfo'), undefined);

  const ofA = await getCrmEndpointForCall(testApp.deps, a.shopId, 'sidePanel_CustomerInfo');
  assert.equal(ofA?.url, CRM_URL, "B's changes left A's endpoint in place");
  assert.equal(ofA?.credentials.token, TOKEN);
});
