// test_crm_endpoint over MCP, as an integrator iterates with it: the request as sent with its
// credentials redacted, the validation report with JSON paths, the refusals that say what to fix.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { crmEndpointTypes } from '@parley/contract';
import { getRequestSigningSecret } from '../src/features/crm/index.ts';
import { crmFixtures, startFakeCrm, type FakeCrm } from './helpers/fake-crm.ts';
import { callTool, postMcp, textOf } from './helpers/mcp.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

const TOKEN = 'tok-secret-4f1a9c';
const HEADER_VALUE = 'hdr-secret-7b2e11';
const USERNAME = 'user-secret-02aa7e';
const PASSWORD = 'pw-secret-c93d05';
const SECRETS = [
  TOKEN,
  HEADER_VALUE,
  USERNAME,
  PASSWORD,
  Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'),
];

let testApp: TestApp;
let crm: FakeCrm;
let shop: { shopId: string; token: string };
before(async () => {
  [testApp, crm] = await Promise.all([startTestApp(), startFakeCrm()]);
  shop = await testApp.createShop();
  crm.verifySignatures({
    secret: await getRequestSigningSecret(testApp.deps, shop.shopId),
    now: () => testApp.clock.now(),
  });
});
after(async () => {
  await crm.close();
  await testApp.close();
});

const run = (args: Record<string, unknown>) => callTool(testApp.app, shop.token, 'test_crm_endpoint', args);

/** The structured report of a call that must not be an MCP tool error. */
async function report(args: Record<string, unknown>) {
  const result = await run(args);
  assert.notEqual(result.isError, true, textOf(result));
  assert.ok(result.structuredContent !== undefined);
  return {
    ...result,
    report: result.structuredContent as Record<string, unknown> & { request: Record<string, unknown> },
  };
}

async function toolError(args: Record<string, unknown>): Promise<string> {
  const result = await run(args);
  assert.equal(result.isError, true, JSON.stringify(result.structuredContent));
  return textOf(result);
}

function assertNoSecretIn(raw: string) {
  for (const secret of SECRETS)
    assert.ok(!raw.includes(secret), `a secret leaked into the response: ${secret}`);
}

const fullSettings = {
  method: 'POST',
  token: TOKEN,
  headers: { 'X-Api-Key': HEADER_VALUE },
  auth: { type: 'basic', fields: { username: USERNAME, password: PASSWORD } },
};

test('is listed with honest annotations: read-only for Parley, open world', async () => {
  const reply = await postMcp(
    testApp.app,
    { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    { token: shop.token },
  );
  const tools = reply.json.result?.tools as Array<{
    name: string;
    annotations: Record<string, unknown>;
    inputSchema: { properties: object };
  }>;
  const tool = tools.find((candidate) => candidate.name === 'test_crm_endpoint');
  const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = tool?.annotations ?? {};
  assert.deepEqual(
    { readOnlyHint, destructiveHint, idempotentHint, openWorldHint },
    { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  );
  assert.deepEqual(Object.keys(tool?.inputSchema.properties ?? {}), [
    'type',
    'url',
    'method',
    'token',
    'headers',
    'auth',
    'timeout_ms',
    'test_phone',
    'query',
  ]);
});

describe('settings given (before saving)', () => {
  test('reports the signed request with credentials redacted, even when the CRM echoes them back', async () => {
    crm.answer('/crm/echo', (request) => ({
      json: {
        found: true,
        customers: [
          {
            name: 'Echo',
            phone: '+34600000000',
            notes: [request.body, request.headers.authorization, request.headers['x-api-key']],
          },
        ],
      },
    }));
    const seen = crm.requests.length;
    const { report: result, raw } = await report({
      type: 'sidePanel_CustomerInfo',
      url: crm.url('/crm/echo'),
      ...fullSettings,
    });

    assert.equal(result.ok, true);
    assert.equal(result.http_status, 200);
    assert.equal(typeof result.latency_ms, 'number');
    const sent = crm.requests.slice(seen);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.signature?.ok, true, 'signed exactly as production signs');
    assert.deepEqual(JSON.parse(sent[0]?.body ?? ''), {
      phone: '+34600000000',
      relatedphones: [],
      token: TOKEN,
    });

    const { request } = result;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, crm.url('/crm/echo'));
    assert.deepEqual(request.body, { phone: '+34600000000', relatedphones: [], token: '[set]' });
    const headers = request.headers as Record<string, string>;
    assert.equal(headers['X-Api-Key'], '[set]');
    assert.equal(headers.Authorization, '[set]');
    assert.equal(
      headers['X-Parley-Signature'],
      sent[0]?.headers['x-parley-signature'],
      'the signature is shown',
    );
    assert.equal(headers['User-Agent'], 'Parley/test');
    assert.match(String(result.response_excerpt), /"name":"Echo"/);
    assert.match(String(result.next_step), /Save it with update_crm_endpoints/);
    assertNoSecretIn(raw);
  });

  test('GET: the token travels in the query and is shown as [set] there', async () => {
    const { report: result, raw } = await report({
      type: 'globalSearch',
      url: crm.urlFor('globalSearch'),
      token: TOKEN,
      query: 'Lucía',
    });
    assert.equal(result.request.url, `${crm.urlFor('globalSearch')}?query=Luc%C3%ADa&limit=5&token=[set]`);
    assert.equal(crm.requests.at(-1)?.query.get('token'), TOKEN);
    assert.deepEqual(
      (result.normalized as { results: unknown[] }).results.length,
      crmFixtures.globalSearch.results.length,
    );
    assertNoSecretIn(raw);
  });

  test('the validation report names every wrong field by its JSON path and keeps the rest', async () => {
    crm.answer('/crm/sloppy', {
      json: {
        found: true,
        customers: [{ name: 'Ana', ordersCount: 'seven', orders: [{ name: '#1', amount: '12,50 €' }] }],
      },
    });
    const { report: result } = await report({ type: 'sidePanel_CustomerInfo', url: crm.url('/crm/sloppy') });
    const validation = result.validation as {
      valid: boolean;
      errors: unknown[];
      warnings: Array<{ path: string; message: string }>;
    };
    assert.equal(result.ok, true);
    assert.equal(validation.valid, true);
    assert.deepEqual(validation.errors, []);
    assert.deepEqual(validation.warnings.map((warning) => warning.path).sort(), [
      '$.customers[0].ordersCount',
      '$.customers[0].orders[0].amount',
    ]);
    for (const warning of validation.warnings) assert.match(warning.message, /left out/);
    const [customer] = (
      result.normalized as { customers: Array<{ name: string; metrics: { ordersCount: unknown } }> }
    ).customers;
    assert.deepEqual([customer?.name, customer?.metrics.ordersCount], ['Ana', null]);
    assert.match(String(result.next_step), /2 value\(s\) were left out/);
  });

  test('an unusable answer: ok false, BAD_SHAPE, the errors at their paths and what to send', async () => {
    crm.answer('/crm/list', { json: { found: true, products: [{ name: 'wrong type of answer' }] } });
    const { report: result } = await report({ type: 'sidePanel_CustomerInfo', url: crm.url('/crm/list') });
    assert.equal(result.ok, false);
    assert.equal((result.error as { code: string }).code, 'BAD_SHAPE');
    assert.deepEqual(result.validation, {
      valid: false,
      errors: [
        {
          path: '$',
          message:
            '"found" is true but there is no "customers" or "customer"; send {"found": true, "customers": [{"name": "…", "phone": "…"}]}, or {"found": false} when nothing matches',
        },
      ],
      warnings: [],
    });
    assert.equal(result.normalized, null);
  });

  test('an HTTP error is reported with status, excerpt and a fix, not as a tool error', async () => {
    crm.answer('/crm/forbidden', { status: 403, body: 'Forbidden: bad key' });
    const { report: result } = await report({
      type: 'search_Products',
      url: crm.url('/crm/forbidden'),
      token: TOKEN,
    });
    assert.equal(result.ok, false);
    assert.equal(result.http_status, 403);
    assert.equal(result.response_excerpt, 'Forbidden: bad key');
    assert.match(
      String((result.error as { message: string }).message),
      /HTTP 403.*check the endpoint's token, headers and auth/,
    );
    assert.match(
      String((result.validation as { errors: Array<{ message: string }> }).errors[0]?.message),
      /^not validated: /,
    );
  });

  test('every type can be tested, each with its own harmless parameters', async () => {
    for (const type of crmEndpointTypes) {
      const { report: result } = await report({ type, url: crm.urlFor(type) });
      assert.equal(result.ok, true, `${type}: ${JSON.stringify(result.error)}`);
      const sent = crm.requests.at(-1);
      const asked = [...(sent?.query.keys() ?? [])].sort().join(',');
      const expected: Record<string, string> = {
        sidePanel_CustomerInfo: 'phone',
        ai_CustomerInitialInfo: 'phone',
        sidePanel_CustomerFindToJoin: 'phone,query',
        search_Products: 'limit,query',
        globalSearch: 'limit,query',
        verify_conversion: 'phone,since',
      };
      assert.equal(asked, expected[type], type);
    }
  });
});

describe('the stored endpoint', () => {
  test('url omitted tests the stored settings, and a failure does not count toward health', async () => {
    const owner = await testApp.createShop();
    await callTool(testApp.app, owner.token, 'update_crm_endpoints', {
      add_crm_endpoint: { type: 'globalSearch', url: crm.url('/crm/broken'), token: TOKEN },
      confirm: true,
    });
    crm.answer('/crm/broken', { status: 500, body: 'boom' });
    for (let i = 0; i < 6; i++) {
      const result = await callTool(testApp.app, owner.token, 'test_crm_endpoint', { type: 'globalSearch' });
      const structured = result.structuredContent as {
        ok: boolean;
        tested: string;
        request: { url: string };
      };
      assert.deepEqual([structured.ok, structured.tested], [false, 'the stored globalSearch endpoint']);
      assert.match(structured.request.url, /token=\[set\]$/);
      assertNoSecretIn(result.raw);
    }
    const health = await callTool(testApp.app, owner.token, 'get_crm_health_status');
    const [entry] = (health.structuredContent as { endpoints: Array<Record<string, unknown>> }).endpoints;
    assert.deepEqual(
      [entry?.enabled, entry?.consecutive_errors, (entry?.latency as { calls: number }).calls],
      [true, 0, 0],
    );
  });

  test('settings without url are refused: test the stored endpoint or pass url', async () => {
    assert.match(
      await toolError({ type: 'globalSearch', token: TOKEN, method: 'POST' }),
      /^Error: method, token only apply together with url: pass url as well .*or leave them out to test the stored globalSearch endpoint\.$/,
    );
  });

  test('nothing stored and no url: says how to test before saving', async () => {
    assert.match(
      await toolError({ type: 'verify_conversion' }),
      /^Error: No verify_conversion endpoint is configured.*Pass url .*update_crm_endpoints\.$/,
    );
  });
});

describe('refusals', () => {
  test('a private target is refused before anything is sent, naming the setting that would allow it', async () => {
    assert.match(
      await toolError({ type: 'globalSearch', url: 'http://10.0.0.1/crm', token: TOKEN }),
      /^Error: Refused: 10\.0\.0\.1:80 is not a public address \(private\)\. To allow it, add "10\.0\.0\.1:80" .*PARLEY_ALLOW_PRIVATE_TARGETS\.$/,
    );
  });

  test('invalid arguments name their path; an unknown type lists the valid ones', async () => {
    assert.match(
      await toolError({ type: 'customerInfo' }),
      /^Error: Invalid arguments: type: unknown CRM endpoint type "customerInfo"; valid types: sidePanel_CustomerInfo, /,
    );
    assert.match(
      await toolError({
        type: 'globalSearch',
        url: crm.urlFor('globalSearch'),
        auth: { type: 'basic', fields: { username: 'u' } },
      }),
      /^Error: Invalid arguments: auth\.fields\.password: basic auth password is required/,
    );
    assert.match(
      await toolError({ type: 'sidePanel_CustomerInfo', test_phone: '600 000 000' }),
      /^Error: Invalid arguments: test_phone: must be a phone in E\.164 form, such as \+34600000000/,
    );
  });
});
