/**
 * What the boundary refuses, and how: a NUL character is a 400 VALIDATION_FAILED naming the field,
 * wherever it enters (body, query, path parameter, MCP argument, JSON text inside an argument);
 * deep values in enum fields are described, not serialized; the refusals Fastify and Node's HTTP
 * parser make before any route runs answer in Parley's {"error":{"code","message"}} shape; and
 * /metrics is for the admin token or PARLEY_METRICS_TOKEN only.
 */
import { strict as assert } from 'node:assert';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { callTool, textOf } from './helpers/mcp.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';

let t: TestApp;
let shopToken: string;
const asShop = () => ({ authorization: `Bearer ${shopToken}` });
const asAdmin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

before(async () => {
  t = await startTestApp({ PARLEY_METRICS_TOKEN: METRICS_TOKEN });
  shopToken = (await t.createShop()).token;
});
after(() => t.close());

function assertRefused(
  response: { statusCode: number; body: string },
  status: number,
  code: string,
  message: RegExp,
) {
  assert.equal(response.statusCode, status, response.body);
  const body = JSON.parse(response.body) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code);
  assert.match(body.error.message, message);
}

describe('NUL characters are refused at the boundary, naming the field', () => {
  test('in a shop name (admin body)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: asAdmin,
      payload: { name: 'Tienda\u0000' },
    });
    assertRefused(response, 400, 'VALIDATION_FAILED', /^Invalid request body: name: must not contain NUL/);
  });

  test('in an agent name and deep inside a conversation message', async () => {
    const agent = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: asShop(),
      payload: { nickname: 'ana', name: 'Ana\u0000' },
    });
    assertRefused(agent, 400, 'VALIDATION_FAILED', /name: must not contain NUL/);
    const messages = await t.app.inject({
      method: 'POST',
      url: '/api/conversations/messages',
      headers: asShop(),
      payload: {
        chat_phone: '+34612345678',
        messages: [{ id: 'm1', direction: 'in', text: 'a\u0000b', sent_at: '2026-03-02T10:00:00Z' }],
      },
    });
    assertRefused(messages, 400, 'VALIDATION_FAILED', /messages\.0\.text: must not contain NUL/);
  });

  test('in a link id in the path and in a query string', async () => {
    const link = await t.app.inject({ method: 'DELETE', url: '/api/panel/links/lnk%00x', headers: asShop() });
    assertRefused(link, 400, 'VALIDATION_FAILED', /^Invalid path: id: must not contain NUL/);
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/panel/search?kind=products&q=a%00b',
      headers: asShop(),
    });
    assertRefused(search, 400, 'VALIDATION_FAILED', /^Invalid query string: q: must not contain NUL/);
  });

  test('in a credit reference (admin route with a path id)', async () => {
    const shop = await t.createShop('Credited');
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/admin/shops/${shop.shopId}/credits`,
      headers: asAdmin,
      payload: { amount: 100, reference: 'invoice\u0000 1' },
    });
    assertRefused(response, 400, 'VALIDATION_FAILED', /reference: must not contain NUL/);
  });

  test('in MCP arguments: an AI model name, and a function description inside JSON text', async () => {
    const model = await callTool(t.app, shopToken, 'configure_ai', { model: 'gpt\u0000', confirm: true });
    assert.equal(model.isError, true);
    assert.match(textOf(model), /model: must not contain NUL/);
    const definition = JSON.stringify({
      name: 'lookup',
      description: 'Looks\u0000 up',
      parameters: { type: 'object', properties: {} },
      endpoint: 'http://127.0.0.1:9/fn',
    });
    const fn = await callTool(t.app, shopToken, 'update_custom_functions', {
      add_function: definition,
      confirm: true,
    });
    assert.equal(fn.isError, true);
    assert.match(textOf(fn), /add_function\.description: must not contain NUL/);
  });

  test('in a field name, and nesting past the limit, with the path of each', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { ...asShop(), 'content-type': 'application/json' },
      payload: `{"nickname":"ana","name":"Ana","permissions":${'['.repeat(200)}${']'.repeat(200)},"x\\u0000":1}`,
    });
    assertRefused(
      response,
      400,
      'VALIDATION_FAILED',
      /permissions(\.0)+: is nested more than 64 levels deep/,
    );
    assert.match(JSON.parse(response.body).error.message, /\(root\): has a field name with a NUL/);
  });
});

describe('error messages never serialize the caller input unbounded', () => {
  test('a deep or huge value in an enum field is described in a few words', async () => {
    const deep = `${'{"a":'.repeat(60)}1${'}'.repeat(60)}`;
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/panel/search?kind=${'k'.repeat(5_000)}&q=x`,
      headers: asShop(),
    });
    assertRefused(response, 400, 'VALIDATION_FAILED', /kind: "k{50,60}…" is not a search kind/);
    assert.ok(response.body.length < 500, `${response.body.length} characters`);
    const webhook = await callTool(t.app, shopToken, 'configure_webhooks', {
      webhook_events: [JSON.parse(deep) as unknown],
    });
    assert.equal(webhook.isError, true);
    assert.match(textOf(webhook), /webhook_events\.0: unknown event an object/);
  });

  test('thousands of unknown fields are listed up to ten, then counted', async () => {
    const payload = Object.fromEntries(
      Array.from({ length: 3_000 }, (_, i) => [`field_${i}_${'x'.repeat(200)}`, i]),
    );
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: asShop(),
      payload: { nickname: 'ana', name: 'Ana', ...payload },
    });
    assertRefused(response, 400, 'VALIDATION_FAILED', /unknown field\(s\) .* and 2990 more/);
    assert.ok(response.body.length < 2_000, `${response.body.length} characters`);
  });
});

describe("Fastify's own refusals answer in Parley's shape", () => {
  test('a path parameter longer than any id: 414 URI_TOO_LONG, without repeating it', async () => {
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/api/panel/links/${'x'.repeat(5_000)}`,
      headers: asShop(),
    });
    assertRefused(response, 414, 'URI_TOO_LONG', /longer than 200 characters/);
    assert.ok(!response.body.includes('xxxxxxxxxx'));
  });

  test('an unknown path is named in the 404, cut to a readable length', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/${'nothing/'.repeat(1_500)}?q=1` });
    assertRefused(response, 404, 'NOT_FOUND', /^No route GET \/api\/(nothing\/)+\w*….$/);
    assert.ok(response.body.length < 400, `${response.body.length} characters`);
  });

  test('a malformed percent-encoding: 400 BAD_URL', async () => {
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/panel/links/%E0%A4%A',
      headers: asShop(),
    });
    assertRefused(response, 400, 'BAD_URL', /percent-encoded/);
  });

  test('bad JSON, a wrong content type, a body too large', async () => {
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { ...asShop(), 'content-type': 'application/json' },
      payload: '{"nickname":',
    });
    assertRefused(badJson, 400, 'INVALID_JSON', /not valid JSON/);
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { ...asShop(), 'content-type': 'text/plain' },
      payload: 'nickname=ana',
    });
    assertRefused(text, 415, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type: application\/json/);
    const large = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { ...asShop(), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    assertRefused(large, 413, 'BODY_TOO_LARGE', /larger than this server accepts/);
  });

  test('headers larger than Node accepts: 431 HEADERS_TOO_LARGE over a real socket', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, path: '/health', headers: { 'x-padding': 'p'.repeat(20_000) } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.end();
    });
    assertRefused(
      { statusCode: answer.status, body: answer.body },
      431,
      'HEADERS_TOO_LARGE',
      /headers are larger/,
    );
  });
});

describe('GET /metrics', () => {
  test('refuses callers without a token, and shop tokens, saying which token to use', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/metrics' });
    assertRefused(anonymous, 401, 'UNAUTHORIZED', /admin token or PARLEY_METRICS_TOKEN/);
    const shop = await t.app.inject({ method: 'GET', url: '/metrics', headers: asShop() });
    assertRefused(shop, 403, 'FORBIDDEN', /admin token or PARLEY_METRICS_TOKEN/);
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}x` },
    });
    assertRefused(wrong, 401, 'UNAUTHORIZED', /PARLEY_METRICS_TOKEN/);
  });

  test('serves the admin token and PARLEY_METRICS_TOKEN', async () => {
    for (const token of [TEST_ADMIN_TOKEN, METRICS_TOKEN]) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /parley_process_resident_memory_bytes \d+/);
    }
  });
});
