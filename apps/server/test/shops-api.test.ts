import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiTokens } from '../src/db/schema.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('health and metrics', () => {
  it('GET /health reports the database kind and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', database: t.deps.databaseKind, version: 'test' });
  });

  it('GET /metrics is Prometheus text that counts requests by route', async () => {
    await t.app.inject({ method: 'GET', url: '/health' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: admin });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/plain/);
    assert.match(
      res.body,
      /parley_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/,
    );
    assert.match(res.body, /parley_process_resident_memory_bytes \d+/);
  });
});

describe('POST /api/admin/shops', () => {
  it('creates a shop with defaults and returns its token once', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: admin,
      payload: { name: 'Tienda Uno' },
    });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.match(body.shop.id, /^shop_/);
    assert.equal(body.shop.name, 'Tienda Uno');
    assert.equal(body.shop.country, 'ES');
    assert.match(body.token, /^pk_shop_[A-Za-z0-9_-]{43}$/);
    assert.equal(
      JSON.stringify(body).includes('signing'),
      false,
      'the signing secret is not part of the shop',
    );
  });

  it('stores tokens only as hashes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: admin,
      payload: { name: 'Hash check' },
    });
    const token = res.json().token as string;
    const rows = await t.deps.db.select().from(apiTokens);
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.notEqual(row.tokenHash, token);
      assert.match(row.tokenHash, /^[0-9a-f]{64}$/);
    }
    assert.equal(JSON.stringify(rows).includes(token), false);
  });

  it('the new token works on shop endpoints', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: admin,
      payload: { name: 'Works' },
    });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/agents',
      headers: { authorization: `Bearer ${res.json().token}` },
    });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), { agents: [] });
  });

  it('refuses a missing or wrong token with 401 and a shop token with 403', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/api/admin/shops', payload: { name: 'x' } });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, 'UNAUTHORIZED');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: { authorization: 'Bearer pk_admin_not-the-right-token-at-all' },
      payload: { name: 'x' },
    });
    assert.equal(wrong.statusCode, 401);
    const shop = await t.createShop();
    const asShop = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: { authorization: `Bearer ${shop.token}` },
      payload: { name: 'x' },
    });
    assert.equal(asShop.statusCode, 403);
    assert.match(asShop.json().error.message, /admin token/);
  });

  it('names every invalid field and refuses unknown ones', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: admin,
      payload: { name: '', country: 'Spain', timezone: 'Mars/Base', colour: 'red' },
    });
    assert.equal(res.statusCode, 400);
    const { code, message } = res.json().error;
    assert.equal(code, 'VALIDATION_FAILED');
    assert.match(message, /name: name is required/);
    assert.match(message, /country: .*ISO 3166-1/);
    assert.match(message, /timezone: .*IANA/);
    assert.match(message, /unknown field\(s\) "colour"/);
  });
});

describe('bad input on any endpoint', () => {
  it('malformed JSON → 400 INVALID_JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'INVALID_JSON');
  });

  it('a body that is not JSON → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: { ...admin, 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('an oversized body → 413 BODY_TOO_LARGE, and nothing is created', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/admin/shops', headers: admin })).json()
      .shops.length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(t.deps.config.PARLEY_BODY_LIMIT_BYTES) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'BODY_TOO_LARGE');
    const afterCount = (await t.app.inject({ method: 'GET', url: '/api/admin/shops', headers: admin })).json()
      .shops.length;
    assert.equal(afterCount, before);
  });

  it('an unknown route → 404 with a JSON error', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope?x=1' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { error: { code: 'NOT_FOUND', message: 'No route GET /api/nope.' } });
  });
});

describe('agents', () => {
  it('a shop creates agents; their tokens cannot create agents', async () => {
    const shop = await t.createShop('Agents shop');
    const headers = { authorization: `Bearer ${shop.token}` };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers,
      payload: { nickname: 'ana', name: 'Ana' },
    });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(body.agent.nickname, 'ana');
    assert.deepEqual(body.agent.permissions, ['panel', 'conversations', 'ai']);
    assert.match(body.token, /^pk_agent_/);

    const asAgent = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { authorization: `Bearer ${body.token}` },
      payload: { nickname: 'eve', name: 'Eve' },
    });
    assert.equal(asAgent.statusCode, 403);
    assert.match(asAgent.json().error.message, /needs a shop token; you sent an agent token/);
  });

  it('a duplicate nickname in one shop → 409; the same nickname in another shop is fine', async () => {
    const a = await t.createShop('A');
    const b = await t.createShop('B');
    const create = (token: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/agents',
        headers: { authorization: `Bearer ${token}` },
        payload: { nickname: 'sam', name: 'Sam' },
      });
    assert.equal((await create(a.token)).statusCode, 201);
    const again = await create(a.token);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'CONFLICT');
    assert.equal((await create(b.token)).statusCode, 201);
  });

  it('one shop never lists another shop’s agents', async () => {
    const a = await t.createShop('A2');
    const b = await t.createShop('B2');
    await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { authorization: `Bearer ${a.token}` },
      payload: { nickname: 'only-a', name: 'A' },
    });
    const listB = await t.app.inject({
      method: 'GET',
      url: '/api/agents',
      headers: { authorization: `Bearer ${b.token}` },
    });
    assert.deepEqual(listB.json(), { agents: [] });
  });
});

describe('agent permissions', () => {
  it('an agent without a permission is refused on that API and allowed on the others', async () => {
    const shop = await t.createShop('Permissions');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { authorization: `Bearer ${shop.token}` },
      payload: { nickname: 'viewer', name: 'Panel only', permissions: ['panel'] },
    });
    assert.equal(created.statusCode, 201);
    const agent = { authorization: `Bearer ${created.json().token}` };

    const conversations = await t.app.inject({
      method: 'POST',
      url: '/api/conversations/messages',
      headers: agent,
      payload: {
        chat_phone: '+34655123987',
        messages: [{ id: 'm1', direction: 'in', text: 'hola', sent_at: '2026-03-02T09:00:00Z' }],
      },
    });
    assert.equal(conversations.statusCode, 403);
    assert.match(conversations.json().error.message, /lacks the "conversations" permission/);

    const ai = await t.app.inject({
      method: 'POST',
      url: '/api/ai/suggest-reply',
      headers: agent,
      payload: { phone: '+34655123987' },
    });
    assert.equal(ai.statusCode, 403);
    assert.match(ai.json().error.message, /lacks the "ai" permission/);

    const panel = await t.app.inject({
      method: 'GET',
      url: '/api/panel/links?phone=%2B34655123987',
      headers: agent,
    });
    assert.equal(panel.statusCode, 200);
  });
});
