/**
 * The wire behaviour of /api/mcp (docs/mcp.md#answers-and-errors): status codes, JSON-RPC error codes, both
 * protocol eras, auth.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from './helpers/test-app.ts';
import { LEGACY_VERSION, MODERN_VERSION, postMcp } from './helpers/mcp.ts';

let t: TestApp;
let shopToken: string;
let agentToken: string;

before(async () => {
  t = await startTestApp({ PARLEY_BODY_LIMIT_BYTES: '16384', PARLEY_MCP_RATE_LIMIT: '1000' });
  ({ token: shopToken } = await t.createShop());
  const agent = await t.app.inject({
    method: 'POST',
    url: '/api/agents',
    headers: { authorization: `Bearer ${shopToken}` },
    payload: { nickname: 'ana', name: 'Ana' },
  });
  assert.equal(agent.statusCode, 201);
  agentToken = (agent.json() as { token: string }).token;
});
after(() => t.close());

const initialize = (id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: {
    protocolVersion: LEGACY_VERSION,
    capabilities: {},
    clientInfo: { name: 'test', version: '1.0.0' },
  },
});

/** A 2026-07-28 request: the per-request `_meta` envelope plus the standard headers. */
function modern(method: string, id: number, params: Record<string, unknown> = {}) {
  return {
    body: {
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
          'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
    headers: {
      'mcp-protocol-version': MODERN_VERSION,
      'mcp-method': method,
      ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : {}),
    },
  };
}

test('2025 era: initialize works without a token, with Accept: application/json alone, in JSON', async () => {
  const reply = await postMcp(t.app, initialize(7), { headers: { accept: 'application/json' } });
  assert.equal(reply.status, 200);
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  assert.equal(reply.json.id, 7);
  assert.equal(reply.json.result?.protocolVersion, LEGACY_VERSION);
  assert.deepEqual((reply.json.result?.serverInfo as { name: string }).name, 'parley');
});

test('2025 era: notifications/initialized answers 202 with no body', async () => {
  const reply = await postMcp(
    t.app,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { token: shopToken },
  );
  assert.equal(reply.status, 202);
  assert.equal(reply.text, '');
});

test('2025 era: tools/list with the shop token, on /api/mcp and /api/mcp/', async () => {
  for (const path of ['/api/mcp', '/api/mcp/']) {
    const reply = await postMcp(
      t.app,
      { jsonrpc: '2.0', id: 'list', method: 'tools/list' },
      { token: shopToken, path },
    );
    assert.equal(reply.status, 200, path);
    const tools = reply.json.result?.tools as Array<{ name: string }>;
    assert.ok(
      tools.some((tool) => tool.name === 'get_webhook_config'),
      path,
    );
  }
});

test('2026-07-28 era: server/discover works without a token', async () => {
  const { body, headers } = modern('server/discover', 11);
  const reply = await postMcp(t.app, body, { headers });
  assert.equal(reply.status, 200);
  assert.equal(reply.json.id, 11);
  assert.ok((reply.json.result?.supportedVersions as string[]).includes(MODERN_VERSION));
  assert.ok(reply.json.result?.capabilities);
});

test('2026-07-28 era: tools/list and tools/call need the token and work with it', async () => {
  const list = modern('tools/list', 12);
  const refused = await postMcp(t.app, list.body, { headers: list.headers });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error?.code, -32000);
  assert.equal(refused.json.id, 12);

  const listed = await postMcp(t.app, list.body, { headers: list.headers, token: shopToken });
  assert.equal(listed.status, 200);
  assert.ok(
    (listed.json.result?.tools as Array<{ name: string }>).some((tool) => tool.name === 'configure_webhooks'),
  );

  const call = modern('tools/call', 13, { name: 'get_webhook_config', arguments: {} });
  const called = await postMcp(t.app, call.body, { headers: call.headers, token: shopToken });
  assert.equal(called.status, 200);
  assert.equal(
    (called.json.result?.structuredContent as { webhook_enabled: boolean }).webhook_enabled,
    false,
  );
});

test('GET and DELETE answer 405 with a JSON-RPC body', async () => {
  for (const method of ['GET', 'DELETE'] as const) {
    const reply = await t.app.inject({
      method,
      url: '/api/mcp',
      headers: { authorization: `Bearer ${shopToken}` },
    });
    assert.equal(reply.statusCode, 405, method);
    assert.equal(reply.headers.allow, 'POST');
    assert.equal((reply.json() as { jsonrpc: string }).jsonrpc, '2.0');
  }
});

test('invalid JSON → -32700 with id null', async () => {
  const reply = await postMcp(t.app, '{"jsonrpc":"2.0","id":1,', { token: shopToken });
  assert.equal(reply.status, 400);
  assert.equal(reply.json.error?.code, -32700);
  assert.equal(reply.json.id, null);
});

test('unknown method → -32601 echoing the id', async () => {
  const reply = await postMcp(
    t.app,
    { jsonrpc: '2.0', id: 'u1', method: 'widgets/list' },
    { token: shopToken },
  );
  assert.equal(reply.json.error?.code, -32601);
  assert.equal(reply.json.id, 'u1');
});

test('unknown tool → -32602 echoing the id', async () => {
  const reply = await postMcp(
    t.app,
    { jsonrpc: '2.0', id: 21, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } },
    { token: shopToken },
  );
  assert.equal(reply.json.error?.code, -32602);
  assert.equal(reply.json.id, 21);
  assert.match(reply.json.error?.message ?? '', /no_such_tool/);
});

test('malformed params → -32602: params not an object, tool name missing, arguments not an object', async () => {
  const bodies = [
    { jsonrpc: '2.0', id: 31, method: 'tools/call', params: 'get_webhook_config' },
    { jsonrpc: '2.0', id: 32, method: 'tools/call', params: ['get_webhook_config'] },
    { jsonrpc: '2.0', id: 33, method: 'tools/call', params: { arguments: {} } },
    { jsonrpc: '2.0', id: 34, method: 'tools/call', params: { name: 'get_webhook_config', arguments: 'x' } },
  ];
  for (const body of bodies) {
    const reply = await postMcp(t.app, body, { token: shopToken });
    assert.equal(reply.json.error?.code, -32602, JSON.stringify(body));
    assert.equal(reply.json.id, body.id);
  }
});

test('batches are refused with -32600', async () => {
  const reply = await postMcp(t.app, [initialize(1), initialize(2)], { token: shopToken });
  assert.equal(reply.status, 400);
  assert.equal(reply.json.error?.code, -32600);
  assert.match(reply.json.error?.message ?? '', /one JSON-RPC message per POST/);
});

test('a message that is not JSON-RPC 2.0 → -32600', async () => {
  const reply = await postMcp(t.app, { id: 5, method: 'tools/list' }, { token: shopToken });
  assert.equal(reply.status, 400);
  assert.equal(reply.json.error?.code, -32600);
  assert.equal(reply.json.id, 5);
});

test('a body over PARLEY_BODY_LIMIT_BYTES → 413 with a JSON-RPC error', async () => {
  const big = { ...initialize(1), params: { ...initialize(1).params, padding: 'x'.repeat(20_000) } };
  const reply = await postMcp(t.app, big, { token: shopToken });
  assert.equal(reply.status, 413);
  assert.equal(reply.json.jsonrpc, '2.0');
  assert.match(reply.json.error?.message ?? '', /PARLEY_BODY_LIMIT_BYTES/);
});

test('a wrong or missing Content-Type → 415 with a JSON-RPC error', async () => {
  const wrong = await postMcp(t.app, initialize(), { headers: { 'content-type': 'text/plain' } });
  assert.equal(wrong.status, 415);
  assert.equal(wrong.json.jsonrpc, '2.0');
  assert.match(wrong.json.error?.message ?? '', /Content-Type: application\/json/);

  const missing = await t.app.inject({
    method: 'POST',
    url: '/api/mcp',
    payload: Buffer.from(JSON.stringify(initialize())),
  });
  assert.equal(missing.statusCode, 415);
});

test('an Accept header without JSON → 406', async () => {
  const reply = await postMcp(t.app, initialize(), { headers: { accept: 'text/event-stream' } });
  assert.equal(reply.status, 406);
  assert.equal(reply.json.jsonrpc, '2.0');
});

test('auth: no token, an unknown token, an agent token and the admin token are refused with -32000', async () => {
  const list = { jsonrpc: '2.0', id: 'auth-1', method: 'tools/list' };
  const cases = [
    { token: undefined, status: 403, says: /Send "Authorization: Bearer <shop token>"/ },
    {
      token: 'pk_shop_this-token-does-not-exist-000000000',
      status: 403,
      says: /not valid.*Send "Authorization/,
    },
    { token: agentToken, status: 403, says: /agent token/ },
    { token: TEST_ADMIN_TOKEN, status: 403, says: /admin token/ },
  ];
  for (const { token, status, says } of cases) {
    const reply = await postMcp(t.app, list, token === undefined ? {} : { token });
    assert.equal(reply.status, status, String(token));
    assert.equal(reply.json.error?.code, -32000);
    assert.equal(reply.json.id, 'auth-1');
    assert.ok(reply.json.error?.message.startsWith('Unauthorized: invalid or missing Bearer token'));
    assert.match(reply.json.error?.message ?? '', says);
    assert.equal(reply.json.result, undefined);
  }
  const call = { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'get_webhook_config' } };
  const unauthenticatedCall = await postMcp(t.app, call);
  assert.equal(unauthenticatedCall.json.error?.code, -32000);
  assert.equal(unauthenticatedCall.json.id, 9);
});

test('rate limit: over PARLEY_MCP_RATE_LIMIT per minute → 429 with Retry-After, per token', async () => {
  const limited = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '3' });
  try {
    const a = await limited.createShop('A');
    const b = await limited.createShop('B');
    const list = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list' });
    for (let i = 1; i <= 3; i++) {
      assert.equal((await postMcp(limited.app, list(i), { token: a.token })).status, 200);
      limited.clock.advance(10_000);
    }
    const refused = await postMcp(limited.app, list(4), { token: a.token });
    assert.equal(refused.status, 429);
    assert.equal(refused.json.id, 4);
    assert.equal(refused.json.jsonrpc, '2.0');
    // The oldest of the three was 30 s ago, so a slot frees in 30 s.
    assert.equal(refused.headers['retry-after'], '30');

    assert.equal(
      (await postMcp(limited.app, list(5), { token: b.token })).status,
      200,
      'another token has its own limit',
    );

    limited.clock.advance(30_000);
    assert.equal(
      (await postMcp(limited.app, list(6), { token: a.token })).status,
      200,
      'allowed again after Retry-After',
    );
  } finally {
    await limited.close();
  }
});
