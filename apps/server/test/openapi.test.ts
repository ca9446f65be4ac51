/**
 * The API document cannot drift from the server: docs/api.md is what the code generates, every route
 * Fastify serves under /api is in the route list (and every listed route is served), each route
 * refuses the tokens it does not list, and real answers (successes and errors) validate against the
 * schema the document gives for their route and status, error codes included.
 */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { crmEndpointDefinition } from '@parley/contract';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { InjectOptions } from 'fastify';
import { apiDocPath, renderApiDoc } from '../scripts/docs-api.ts';
import { applyCrmEndpointChange } from '../src/features/crm/index.ts';
import { SESSION_COOKIE } from '../src/http/console/cookies.ts';
import { describeIssues } from '../src/lib/validation.ts';
import { buildOpenApiDocument, type OpenApiDocument } from '../src/http/openapi.ts';
import { documentedRoutes, notDocumented, type Caller } from '../src/http/openapi-routes.ts';
import { crmFixtures, startFakeCrm, type FakeCrm } from './helpers/fake-crm.ts';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let llm: ScriptedLlm;
let crm: FakeCrm;
let document: OpenApiDocument;
const tokens = {} as Record<Caller, string> & { agentWithout: Record<string, string> };
let shopId: string;

before(async () => {
  [llm, crm] = await Promise.all([startScriptedLlm(), startFakeCrm()]);
  t = await startTestApp({
    PARLEY_LLM_BASE_URL: llm.baseUrl,
    PARLEY_LLM_MODEL: 'scripted-model',
    PARLEY_LLM_API_KEY: 'sk-test-openapi',
  });
  document = buildOpenApiDocument({ version: t.deps.version });
  const shop = await t.createShop();
  shopId = shop.shopId;
  tokens.admin = TEST_ADMIN_TOKEN;
  tokens.shop = shop.token;
  tokens.agent = await createAgent('all', ['panel', 'conversations', 'ai']);
  // For each permission, an agent holding every other one: the route must refuse it.
  tokens.agentWithout = {
    panel: await createAgent('no-panel', ['conversations', 'ai']),
    conversations: await createAgent('no-conversations', ['panel', 'ai']),
    ai: await createAgent('no-ai', ['panel', 'conversations']),
  };
});
after(async () => {
  await t.close();
  await Promise.all([llm.close(), crm.close()]);
});

async function createAgent(nickname: string, permissions: string[]): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/agents',
    headers: { authorization: `Bearer ${tokens.shop}` },
    payload: { nickname, name: nickname, permissions },
  });
  assert.equal(response.statusCode, 201, response.body);
  return (response.json() as { token: string }).token;
}

// --- the route list against what Fastify serves --------------------------------------------------

/**
 * Every (method, path) Fastify serves, from its route tree: each line is a node whose path extends
 * its parent's (`└── /:id (PATCH, DELETE)`), four columns of tree drawing per level.
 */
function servedRoutes(): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const pathAtDepth: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (node === null) continue;
    const depth = node[1]!.length / 4;
    const path = (depth === 0 ? '' : pathAtDepth[depth - 1]!) + node[2]!;
    pathAtDepth[depth] = path;
    for (const method of node[3]?.split(', ') ?? []) routes.push({ method, path });
  }
  return routes;
}

const key = (route: { method: string; path: string }) => `${route.method.toUpperCase()} ${route.path}`;

describe('the route list', () => {
  test('lists every route Fastify serves under /api, and only those', () => {
    const served = servedRoutes().filter(
      (route) => (route.path === '/api' || route.path.startsWith('/api/')) && route.method !== 'HEAD',
    );
    // The parse found the tree: routes everyone knows are there.
    assert.ok(served.some((route) => key(route) === 'POST /api/panel/links'));
    assert.ok(served.some((route) => key(route) === 'DELETE /api/panel/links/:id'));

    const listed = new Set([...documentedRoutes, ...notDocumented].map(key));
    const servedKeys = new Set(served.map(key));
    const missing = [...servedKeys].filter((route) => !listed.has(route));
    assert.deepEqual(
      missing,
      [],
      'served under /api but not documented: add them to apps/server/src/http/openapi-routes.ts (docs/api.md says how)',
    );
    const gone = [...listed].filter((route) => !servedKeys.has(route));
    assert.deepEqual(gone, [], 'documented but not served: remove them from openapi-routes.ts');
  });

  test('lists each route once', () => {
    const keys = documentedRoutes.map(key);
    assert.equal(new Set(keys).size, keys.length);
  });
});

describe('docs/api.md', () => {
  test('is what `npm run docs:api` generates from the code', async () => {
    const current = await readFile(apiDocPath, 'utf8');
    assert.ok(current === (await renderApiDoc()), 'docs/api.md is stale: run `npm run docs:api`');
  });
});

// --- GET /api/openapi.json -------------------------------------------------------------------------

describe('GET /api/openapi.json', () => {
  test('serves the document without a token, cacheable with an ETag', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    assert.match(String(response.headers['cache-control']), /public, max-age=\d+/);
    const served = response.json() as OpenApiDocument;
    assert.deepEqual(served, JSON.parse(JSON.stringify(document)));
    assert.equal(served.openapi, '3.1.0');
    assert.equal(served.info.version, t.deps.version);
    assertMatchesDocument('get', '/api/openapi.json', response.statusCode, served);

    const etag = response.headers.etag;
    assert.equal(typeof etag, 'string');
    const again = await t.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { 'if-none-match': String(etag) },
    });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const amongOthers = await t.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { 'if-none-match': `"older", W/${String(etag)}` },
    });
    assert.equal(amongOthers.statusCode, 304);
    const stale = await t.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { 'if-none-match': '"older"' },
    });
    assert.equal(stale.statusCode, 200);
  });

  test('documents the bodies, queries and auth of the routes agents and the extension use', () => {
    const paths = document.paths ?? {};
    const links = paths['/api/panel/links']?.post;
    assert.deepEqual(links?.requestBody, {
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreatePanelLinkRequest' } } },
    });
    assert.deepEqual(links?.security, [{ shopToken: [] }, { agentToken: [] }]);
    const messages = paths['/api/conversations/messages']?.post;
    assert.ok(messages?.responses?.['200']);
    assert.deepEqual(paths['/api/admin/shops']?.get?.security, [{ adminToken: [] }, { consoleSession: [] }]);
    assert.deepEqual(paths['/api/openapi.json']?.get?.security, []);
    const followupQuery = paths['/api/followups']?.get?.parameters?.map((p) => 'name' in p && p.name);
    assert.deepEqual(followupQuery, ['status', 'phone']);
    const deleteLink = paths['/api/panel/links/{id}']?.delete?.parameters;
    assert.deepEqual(
      deleteLink?.map((p) => 'in' in p && [p.in, p.name, p.required]),
      [['path', 'id', true]],
    );
  });
});

// --- who may call what -----------------------------------------------------------------------------

/** A request each route authenticates before it reads anything else. */
function requestTo(
  route: (typeof documentedRoutes)[number],
  token: string | undefined,
  cookie?: string,
): InjectOptions {
  const url = route.path.replace(/:([A-Za-z]+)/g, 'unknown-$1');
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  if (cookie !== undefined) headers.cookie = cookie;
  if (route.jsonRpc === true) {
    return {
      method: 'POST',
      url,
      headers: {
        ...headers,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      payload: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    };
  }
  return { method: route.method.toUpperCase() as InjectOptions['method'], url, headers };
}

describe('each route refuses the tokens it does not list', () => {
  for (const route of documentedRoutes.filter((r) => r.callers.length > 0)) {
    test(key(route), async () => {
      const anonymous = await t.app.inject(requestTo(route, undefined));
      // MCP answers 403 without a challenge, so that clients do not start OAuth (docs/mcp.md).
      assert.equal(anonymous.statusCode, route.jsonRpc === true ? 403 : 401, anonymous.body);
      for (const caller of ['admin', 'shop', 'agent'] as const) {
        const answer = await t.app.inject(requestTo(route, tokens[caller]));
        if (route.callers.includes(caller)) {
          assert.ok(![401, 403].includes(answer.statusCode), `${caller} refused: ${answer.body}`);
        } else {
          assert.equal(answer.statusCode, 403, `${caller} let in: ${answer.body}`);
        }
      }
      if (route.agentPermission !== undefined && route.callers.includes('agent')) {
        const lacking = await t.app.inject(requestTo(route, tokens.agentWithout[route.agentPermission]));
        assert.equal(lacking.statusCode, 403, lacking.body);
      }
    });
  }
});

/**
 * A body or query string the listed schema refuses must get exactly the refusal that schema words
 * (`Invalid request body: field: message; …`): a route that validated with another schema would word
 * it differently. The probes are tried in order; the first one the listed schema refuses is sent.
 */
describe('each route validates with the schemas the list gives it', () => {
  const bodyProbes: unknown[] = [{}, { __not_a_field__: 1 }, []];
  const queryProbes: Array<Record<string, string>> = [{}, { __not_a_field__: '1' }];
  let planned = 0;
  let compared = 0;
  // Most routes with a body or query have a probe their schema refuses; so many must have been compared.
  after(() => assert.ok(compared === planned && planned >= 12, `${compared} of ${planned} compared`));

  for (const route of documentedRoutes.filter((r) => r.jsonRpc !== true)) {
    const parts = [
      { what: 'request body', schema: route.body, probes: bodyProbes },
      { what: 'query string', schema: route.query, probes: queryProbes },
    ];
    for (const { what, schema, probes } of parts) {
      if (schema === undefined) continue;
      const probe = probes.find((candidate) => !schema.safeParse(candidate).success);
      if (probe === undefined) continue;
      planned += 1;
      test(`${key(route)} (${what})`, async () => {
        const expected = `Invalid ${what}: ${describeIssues(schema.safeParse(probe).error!)}`;
        const caller = route.callers[0];
        const options = requestTo(route, caller === undefined ? undefined : tokens[caller]);
        if (what === 'request body') options.payload = probe as InjectOptions['payload'];
        else options.query = probe as Record<string, string>;
        const answer = await t.app.inject(options);
        assert.equal(answer.statusCode, 400, answer.body);
        assert.deepEqual(answer.json(), { error: { code: 'VALIDATION_FAILED', message: expected } });
        compared += 1;
      });
    }
  }
});

describe("the console's session cookie is taken where the list says", () => {
  const ended = `${SESSION_COOKIE}=no-such-session`;
  for (const route of documentedRoutes.filter(
    (r) => r.callers.length > 0 || r.consoleSession !== undefined,
  )) {
    test(key(route), async () => {
      const answer = await t.app.inject(requestTo(route, undefined, ended));
      const code = (answer.json() as { error?: { code?: string } }).error?.code;
      if (route.consoleSession === undefined) {
        // Not bridged: the cookie is ignored and the bearer token is missing.
        assert.equal(answer.statusCode, 401, answer.body);
        assert.notEqual(code, 'SESSION_ENDED', answer.body);
      } else {
        assert.equal(answer.statusCode, 401, answer.body);
        assert.equal(code, 'SESSION_ENDED', answer.body);
      }
    });
  }
});

// --- real answers against their documented schema ---------------------------------------------------

const ajv = new Ajv2020({ strict: false, allErrors: true });

/** Validates a body against the schema the document gives for that route and status. */
function assertMatchesDocument(method: string, path: string, status: number, body: unknown): void {
  const operation = (
    (document.paths ?? {})[path.replace(/:([A-Za-z]+)/g, '{$1}')] as Record<string, unknown>
  )?.[method] as
    { responses?: Record<string, { content?: Record<string, { schema?: object }> }> } | undefined;
  assert.ok(operation, `${method} ${path} is not documented`);
  const response = operation.responses?.[String(status)] ?? operation.responses?.default;
  assert.ok(response, `${method.toUpperCase()} ${path} answered ${status}, a status its documentation lacks`);
  const schema = response.content?.['application/json']?.schema;
  if (schema === undefined) {
    assert.equal(body, undefined, `${method.toUpperCase()} ${path} ${status} is documented without a body`);
    return;
  }
  // References point into the document's components: validate with them alongside.
  const validate = ajv.compile({ ...schema, components: document.components });
  assert.ok(
    validate(body),
    `${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
  );
}

async function call(
  method: InjectOptions['method'],
  url: string,
  options: { token?: string; payload?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await t.app.inject({
    method,
    url,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.payload === undefined ? {} : { payload: options.payload as InjectOptions['payload'] }),
  });
  const body = response.body === '' ? undefined : (response.json() as unknown);
  const documented = documentedRoutes.find(
    (route) =>
      route.method === String(method).toLowerCase() &&
      new RegExp(`^${route.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(url.split('?')[0]!),
  );
  assert.ok(documented, `no documented route for ${String(method)} ${url}`);
  assertMatchesDocument(documented.method, documented.path, response.statusCode, body);
  return { status: response.statusCode, body: body as Record<string, unknown> };
}

describe('real answers match their documented schema', () => {
  const LUCIA = '+34655123987';

  test('shops, agents and credits', async () => {
    const created = await call('POST', '/api/admin/shops', {
      token: TEST_ADMIN_TOKEN,
      payload: { name: 'Documented shop', country: 'mx' },
    });
    assert.equal(created.status, 201);
    assert.equal((await call('GET', '/api/admin/shops', { token: TEST_ADMIN_TOKEN })).status, 200);
    const credits = await call('POST', `/api/admin/shops/${shopId}/credits`, {
      token: TEST_ADMIN_TOKEN,
      payload: { amount: 500, reference: 'INV-1' },
    });
    assert.equal(credits.status, 201);
    const retried = await call('POST', `/api/admin/shops/${shopId}/credits`, {
      token: TEST_ADMIN_TOKEN,
      payload: { amount: 500, reference: 'INV-1' },
    });
    assert.equal(retried.status, 200);
    const conflict = await call('POST', `/api/admin/shops/${shopId}/credits`, {
      token: TEST_ADMIN_TOKEN,
      payload: { amount: 7, reference: 'INV-1' },
    });
    assert.equal(conflict.status, 409);
    const unknownShop = await call('POST', '/api/admin/shops/shop_unknown/credits', {
      token: TEST_ADMIN_TOKEN,
      payload: { amount: 7, reference: 'INV-2' },
    });
    assert.equal(unknownShop.status, 404);

    assert.equal((await call('GET', '/api/agents', { token: tokens.shop })).status, 200);
    const duplicate = await call('POST', '/api/agents', {
      token: tokens.shop,
      payload: { nickname: 'all', name: 'Again' },
    });
    assert.equal(duplicate.status, 409);
  });

  test('the token and agent lifecycle', async () => {
    const created = await call('POST', '/api/admin/shops', {
      token: TEST_ADMIN_TOKEN,
      payload: { name: 'Lifecycle shop' },
    });
    const { id } = created.body.shop as { id: string };
    const admin = { token: TEST_ADMIN_TOKEN };
    const updated = await call('PATCH', `/api/admin/shops/${id}`, {
      ...admin,
      payload: { name: 'Renamed', settings: { require_confirmation_token: true } },
    });
    assert.equal(updated.status, 200);
    const rotated = await call('POST', `/api/admin/shops/${id}/token`, admin);
    assert.equal(rotated.status, 200);
    const shopToken = String(rotated.body.token);

    const agent = await call('POST', '/api/agents', {
      token: shopToken,
      payload: { nickname: 'temp', name: 'Temp' },
    });
    const agentId = (agent.body.agent as { id: string }).id;
    await call('GET', '/api/agents', { token: shopToken });
    const patched = await call('PATCH', `/api/agents/${agentId}`, {
      token: shopToken,
      payload: { permissions: ['panel'] },
    });
    assert.equal(patched.status, 200);
    assert.equal((await call('POST', `/api/agents/${agentId}/token`, { token: shopToken })).status, 200);
    assert.equal((await call('DELETE', `/api/agents/${agentId}`, { token: shopToken })).status, 200);
    assert.equal((await call('DELETE', `/api/agents/${agentId}`, { token: shopToken })).status, 404);

    assert.equal((await call('POST', `/api/admin/shops/${id}/disable`, admin)).status, 200);
    assert.equal((await call('POST', `/api/admin/shops/${id}/enable`, admin)).status, 200);
    assert.equal((await call('DELETE', `/api/admin/shops/${id}`, admin)).status, 200);
    assert.equal(
      (await call('PATCH', `/api/admin/shops/${id}`, { ...admin, payload: { name: 'x' } })).status,
      404,
    );
  });

  test('conversations, the side panel and follow-ups', async () => {
    await applyCrmEndpointChange(t.deps, shopId, {
      add: crmEndpointDefinition.parse({ type: 'sidePanel_CustomerInfo', url: crm.url('/crm/customer') }),
    });
    crm.answer('/crm/customer', { json: crmFixtures.sidePanel_CustomerInfo });

    const intake = await call('POST', '/api/conversations/messages', {
      token: tokens.agent,
      payload: {
        chat_phone: LUCIA,
        chat_name: 'Lucía',
        messages: [
          {
            id: 'm1',
            direction: 'in',
            text: 'Hola, mi otro número es 612 345 678',
            sent_at: '2026-03-02T09:00:00Z',
          },
        ],
      },
    });
    assert.equal(intake.status, 200);

    const lookup = await call('GET', `/api/panel/customer?phone=${encodeURIComponent(LUCIA)}`, {
      token: tokens.agent,
    });
    assert.equal(lookup.body.status, 'found');
    const search = await call('GET', '/api/panel/search?kind=products&q=zapatillas', { token: tokens.agent });
    assert.equal(search.body.status, 'not_configured');

    const link = await call('POST', '/api/panel/links', {
      token: tokens.agent,
      payload: { phone: LUCIA, customer: { id: 42, name: 'Lucía Fernández' } },
    });
    assert.equal(link.status, 201);
    assert.equal(
      (await call('GET', `/api/panel/links?phone=${encodeURIComponent(LUCIA)}`, { token: tokens.agent }))
        .status,
      200,
    );
    const linkId = (link.body.link as { id: string }).id;
    assert.equal((await call('DELETE', `/api/panel/links/${linkId}`, { token: tokens.agent })).status, 204);
    assert.equal((await call('DELETE', `/api/panel/links/${linkId}`, { token: tokens.agent })).status, 404);
    assert.equal((await call('GET', '/api/panel/audit', { token: tokens.shop })).status, 200);

    assert.equal((await call('GET', '/api/followups?status=all', { token: tokens.agent })).status, 200);
    assert.equal(
      (await call('POST', '/api/followups/fup_unknown/sent', { token: tokens.agent })).status,
      404,
    );
  });

  test('a suggested reply', async () => {
    llm.script({ text: 'Hola Lucía, ¿en qué te ayudo?' });
    const reply = await call('POST', '/api/ai/suggest-reply', {
      token: tokens.agent,
      payload: { phone: LUCIA, messages: [{ direction: 'in', text: 'Hola' }] },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.reply, 'Hola Lucía, ¿en qué te ayudo?');
  });

  test('errors carry a code their route documents for that status', async () => {
    const cases: Array<[Parameters<typeof call>, number, string]> = [
      [['GET', '/api/agents'], 401, 'UNAUTHORIZED'],
      [['GET', '/api/agents', { token: tokens.agent }], 403, 'FORBIDDEN'],
      [['POST', '/api/panel/links', { token: tokens.shop, payload: {} }], 400, 'VALIDATION_FAILED'],
      [
        [
          'POST',
          '/api/panel/links',
          { token: tokens.shop, payload: { phone: 'call me', customer: { id: '1' } } },
        ],
        400,
        'INVALID_PHONE',
      ],
      [['GET', '/api/panel/customer?phone=12', { token: tokens.shop }], 400, 'INVALID_PHONE'],
      [['GET', '/api/followups?status=someday', { token: tokens.shop }], 400, 'VALIDATION_FAILED'],
      [['DELETE', `/api/panel/links/${'x'.repeat(201)}`, { token: tokens.shop }], 414, 'URI_TOO_LONG'],
      [['DELETE', '/api/panel/links/a%00b', { token: tokens.shop }], 400, 'VALIDATION_FAILED'],
      [
        [
          'POST',
          '/api/conversations/messages',
          { token: tokens.shop, payload: '{"chat_phone":', headers: { 'content-type': 'application/json' } },
        ],
        400,
        'INVALID_JSON',
      ],
      [
        [
          'POST',
          '/api/ai/suggest-reply',
          { token: tokens.shop, payload: 'hola', headers: { 'content-type': 'text/plain' } },
        ],
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
    ];
    for (const [args, status, code] of cases) {
      const answer = await call(...args);
      assert.equal(answer.status, status, `${args[0]} ${args[1]}: ${JSON.stringify(answer.body)}`);
      assert.equal((answer.body.error as { code: string }).code, code);
    }
  });

  test('a console session', async () => {
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/console/session',
      payload: { token: tokens.shop },
    });
    assertMatchesDocument('post', '/api/console/session', signIn.statusCode, undefined);
    assert.equal(signIn.statusCode, 204);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const session = await call('GET', '/api/console/session', { headers: { cookie } });
    assert.equal(session.body.kind, 'shop');
    const csrf = String(session.body.csrf_token);
    const signOut = await call('DELETE', '/api/console/session', {
      headers: { cookie, 'x-parley-csrf': csrf },
    });
    assert.equal(signOut.status, 204);
    const agent = await call('POST', '/api/console/session', { payload: { token: tokens.agent } });
    assert.equal(agent.status, 403);
  });

  test('the MCP endpoint answers JSON-RPC as documented', async () => {
    const initialize = await call('POST', '/api/mcp', {
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      payload: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'openapi-test', version: '1' },
        },
      }),
    });
    assert.equal(initialize.status, 200);
    const refused = await call('POST', '/api/mcp', {
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      payload: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(refused.status, 403);
  });
});
