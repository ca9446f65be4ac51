/**
 * How /api/mcp refuses callers: on the wire (a 403 with Parley's message and no OAuth challenge),
 * through the official SDK client (with and without an auth provider, the way Claude Code runs
 * it), the limit on unknown tokens per client address, and the Host/Origin check.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { Client, StreamableHTTPClientTransport, type AuthProvider } from '@modelcontextprotocol/client';
import { LEGACY_VERSION } from './helpers/mcp.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let shopToken: string;
let url: URL;

before(async () => {
  t = await startTestApp();
  ({ token: shopToken } = await t.createShop());
  url = new URL(`${await t.app.listen({ port: 0, host: '127.0.0.1' })}/api/mcp`);
});
after(() => t.close());

const WRONG = 'pk_shop_not-a-real-token-0000000000000000';
const toolsList = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

/** One MCP POST as a client at `address` sends it. */
async function post(
  body: unknown,
  options: { token?: string; address?: string; headers?: Record<string, string> } = {},
) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/mcp',
    remoteAddress: options.address ?? '192.0.2.1',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'mcp-protocol-version': LEGACY_VERSION,
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    payload: JSON.stringify(body),
  });
  const json = JSON.parse(response.body) as { error?: { code: number; message: string }; result?: unknown };
  return { status: response.statusCode, headers: response.headers, json };
}

test("a missing or unknown token: 403, Parley's message and what to do, no OAuth challenge", async () => {
  for (const token of [undefined, WRONG]) {
    const reply = await post(toolsList, { token, address: '192.0.2.10' });
    assert.equal(reply.status, 403, String(token));
    assert.equal(reply.headers['www-authenticate'], undefined, 'a challenge would start OAuth in clients');
    assert.equal(reply.json.error?.code, -32000);
    assert.match(reply.json.error?.message ?? '', /^Unauthorized: invalid or missing Bearer token: /);
    assert.match(
      reply.json.error?.message ?? '',
      /Send "Authorization: Bearer <shop token>".*does not use OAuth/,
    );
  }
});

test('no OAuth metadata is advertised: the well-known documents are 404', async () => {
  for (const path of [
    '/.well-known/oauth-protected-resource/api/mcp',
    '/.well-known/oauth-authorization-server',
  ]) {
    assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 404, path);
  }
});

async function sdkClient(token: string, authProvider?: AuthProvider): Promise<Client> {
  const client = new Client({ name: 'parley-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
      ...(authProvider && { authProvider }),
    }),
  );
  return client;
}

test("SDK client with a wrong token: the error carries Parley's message", async () => {
  const client = await sdkClient(WRONG);
  try {
    await assert.rejects(client.listTools(), (error: Error) => {
      assert.match(error.message, /Unauthorized: invalid or missing Bearer token: this token is not valid/);
      return true;
    });
  } finally {
    await client.close();
  }
});

test("SDK client with an auth provider (as Claude Code runs it): no re-authentication, Parley's message", async () => {
  let reauthentications = 0;
  const client = await sdkClient(WRONG, {
    token: () => Promise.resolve(WRONG),
    onUnauthorized: () => {
      reauthentications += 1;
      return Promise.resolve();
    },
  });
  try {
    await assert.rejects(client.listTools(), /Unauthorized: invalid or missing Bearer token/);
    assert.equal(reauthentications, 0, 'the client must not be sent into its OAuth flow');
  } finally {
    await client.close();
  }
});

test('unknown tokens are limited per client address; a valid token from there waits too', async () => {
  const address = '198.51.100.7';
  for (let i = 0; i < 10; i += 1) {
    const guess = await post(toolsList, { token: `pk_shop_guess-${i}-000000000000000000000000`, address });
    assert.equal(guess.status, 403, `guess ${i}`);
  }
  const refused = await post(toolsList, { token: 'pk_shop_guess-10-00000000000000000000000', address });
  assert.equal(refused.status, 429);
  assert.equal(refused.json.error?.code, -32029);
  assert.match(refused.json.error?.message ?? '', /10 unknown tokens came from this address within a minute/);
  assert.equal(refused.headers['retry-after'], '60');
  // Refused before the lookup, so a right guess would not be told apart from a wrong one.
  assert.equal((await post(toolsList, { token: shopToken, address })).status, 429);

  assert.equal(
    (await post(toolsList, { token: shopToken, address: '198.51.100.8' })).status,
    200,
    'other addresses',
  );
  assert.equal((await post(toolsList, { address })).status, 403, 'no token is no guess: the usual refusal');

  t.clock.advance(60_000);
  assert.equal((await post(toolsList, { token: shopToken, address })).status, 200, 'a minute later');
});

test('concurrent guesses are counted as they arrive, not after their lookups', async () => {
  const address = '198.51.100.20';
  const replies = await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      post(toolsList, {
        token: `pk_shop_burst-${String(i).padStart(2, '0')}-0000000000000000000000`,
        address,
      }),
    ),
  );
  const statuses = replies.map((reply) => reply.status);
  assert.equal(statuses.filter((status) => status === 403).length, 10, statuses.join());
  assert.equal(statuses.filter((status) => status === 429).length, 15, statuses.join());
});

test('a valid token of the wrong kind is not counted as a guess', async () => {
  const address = '198.51.100.9';
  for (let i = 0; i < 12; i += 1) {
    assert.equal((await post(toolsList, { token: TEST_ADMIN_TOKEN, address })).status, 403);
  }
  assert.equal((await post(toolsList, { token: shopToken, address })).status, 200);
});

test('a foreign Host or Origin is refused before anything else, even initialize', async () => {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: 't', version: '1' } },
  };
  const foreignHost = await post(initialize, { headers: { host: 'evil.example.com' } });
  assert.equal(foreignHost.status, 403);
  assert.match(
    foreignHost.json.error?.message ?? '',
    /^Forbidden: the Host header "evil\.example\.com".*PARLEY_PUBLIC_URL/,
  );
  const foreignOrigin = await post(initialize, { headers: { origin: 'http://evil.example.com' } });
  assert.equal(foreignOrigin.status, 403);
  const get = await t.app.inject({ method: 'GET', url: '/api/mcp', headers: { host: 'evil.example.com' } });
  assert.equal(get.statusCode, 403);

  // A browser-based client on another loopback port (the Inspector's web UI), with its token.
  const local = await post(initialize, {
    token: shopToken,
    headers: { host: 'localhost:8787', origin: 'http://localhost:6274' },
  });
  assert.equal(local.status, 200);
});

test('PARLEY_PUBLIC_URL names the one other host that is accepted', async () => {
  const published = await startTestApp({ PARLEY_PUBLIC_URL: 'https://parley.example.com' });
  try {
    const send = (host: string) =>
      published.app.inject({
        method: 'POST',
        url: '/api/mcp',
        headers: { host, 'content-type': 'application/json', 'mcp-protocol-version': LEGACY_VERSION },
        payload: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    const message = async (host: string) => {
      const reply = await send(host);
      return `${reply.statusCode} ${(JSON.parse(reply.body) as { error: { message: string } }).error.message}`;
    };
    assert.match(
      await message('parley.example.com'),
      /^403 Unauthorized/,
      'reaches auth: ping needs a token',
    );
    assert.match(await message('other.example.com'), /^403 Forbidden: the Host header "other\.example\.com"/);
  } finally {
    await published.close();
  }
});
