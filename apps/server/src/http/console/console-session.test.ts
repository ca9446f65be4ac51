import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { apiTokens } from '../../db/schema.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/helpers/test-app.ts';
import { PRINCIPAL_CACHE_MS } from '../../features/shops/principal-cache.ts';
import { SESSION_TTL_MS } from './session-store.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

async function signIn(token: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/console/session', payload: { token } });
  assert.equal(res.statusCode, 204, res.body);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0] ?? '';
  const me = await t.app.inject({ method: 'GET', url: '/api/console/session', headers: { cookie } });
  assert.equal(me.statusCode, 200, me.body);
  return { cookie, setCookie, csrf: (me.json() as { csrf_token: string }).csrf_token, me: me.json() };
}

const toolsCall = (name: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name, arguments: {} },
});

describe('console session', () => {
  it('sets an HttpOnly SameSite=Strict cookie and tells the page who signed in', async () => {
    const shop = await t.createShop('Cookie shop');
    const session = await signIn(shop.token);
    assert.match(
      session.setCookie,
      /^parley_console=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    assert.equal((session.me as { kind: string }).kind, 'shop');
    assert.deepEqual((session.me as { shop: { id: string } }).shop.id, shop.shopId);
  });

  it('refuses a wrong token with 401 and an agent token with 403', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/console/session',
      payload: { token: 'pk_shop_not-a-real-token-0000000000' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'UNAUTHORIZED');
    assert.equal(wrong.headers['set-cookie'], undefined);
    const shop = await t.createShop('Agent shop');
    const agent = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { authorization: `Bearer ${shop.token}` },
      payload: { nickname: 'ana', name: 'Ana' },
    });
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/console/session',
      payload: { token: agent.json().token },
    });
    assert.equal(refused.statusCode, 403);
  });

  it('calls MCP tools as the signed-in shop, with the CSRF header; without it 403 and nothing runs', async () => {
    const shop = await t.createShop('Tools shop');
    const { cookie, csrf } = await signIn(shop.token);
    const headers = { cookie, accept: 'application/json', 'content-type': 'application/json' };
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/mcp',
      headers,
      payload: toolsCall('get_webhook_config'),
    });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /x-parley-csrf/);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/mcp',
      headers: { ...headers, 'x-parley-csrf': csrf },
      payload: toolsCall('get_webhook_config'),
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().result.structuredContent.webhook_enabled, false);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/mcp',
      headers: { ...headers, 'x-parley-csrf': csrf, origin: 'https://evil.example' },
      payload: toolsCall('get_webhook_config'),
    });
    assert.equal(foreign.statusCode, 403);
  });

  it('sees only its own shop: the bridge uses the session token, never a shop named by the page', async () => {
    const mine = await t.createShop('Mine');
    const theirs = await t.createShop('Theirs');
    await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { authorization: `Bearer ${theirs.token}` },
      payload: { nickname: 'secret-agent', name: 'Theirs' },
    });
    const { cookie } = await signIn(mine.token);
    const list = await t.app.inject({ method: 'GET', url: '/api/agents', headers: { cookie } });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().agents, []);
    const admin = await t.app.inject({ method: 'GET', url: '/api/admin/shops', headers: { cookie } });
    assert.equal(admin.statusCode, 403);
  });

  it('signing out ends the session for every later request', async () => {
    const shop = await t.createShop('Sign-out shop');
    const { cookie, csrf } = await signIn(shop.token);
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/console/session',
      headers: { cookie, 'x-parley-csrf': csrf },
    });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    const after = await t.app.inject({ method: 'GET', url: '/api/agents', headers: { cookie } });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json().error.code, 'SESSION_ENDED');
  });

  it('expires after its lifetime, on the injected clock', async () => {
    const shop = await t.createShop('Expiring shop');
    const { cookie } = await signIn(shop.token);
    t.clock.advance(SESSION_TTL_MS - 1000);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/agents', headers: { cookie } })).statusCode,
      200,
    );
    t.clock.advance(2000);
    const expired = await t.app.inject({ method: 'GET', url: '/api/agents', headers: { cookie } });
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().error.code, 'SESSION_ENDED');
  });

  it('ends when its token is revoked', async () => {
    const shop = await t.createShop('Revoked shop');
    const { cookie } = await signIn(shop.token);
    await t.deps.db
      .update(apiTokens)
      .set({ revokedAt: t.clock.now() })
      .where(eq(apiTokens.shopId, shop.shopId));
    // A change made behind the app's back: past how long a used token may be remembered.
    t.clock.advance(PRINCIPAL_CACHE_MS + 1);
    const res = await t.app.inject({ method: 'GET', url: '/api/console/session', headers: { cookie } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'SESSION_ENDED');
  });

  it('ends when the admin rotates the shop token', async () => {
    const shop = await t.createShop('Rotated shop');
    const { cookie } = await signIn(shop.token);
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/admin/shops/${shop.shopId}/token`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const res = await t.app.inject({ method: 'GET', url: '/api/agents', headers: { cookie } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'SESSION_ENDED');
  });

  it('refuses a cookie whose halves were tampered with or swapped', async () => {
    const first = await signIn((await t.createShop('First')).token);
    const second = await signIn((await t.createShop('Second')).token);
    const [firstId, firstToken] = first.cookie.split('.');
    const [secondId] = second.cookie.split('.');
    for (const cookie of [`${secondId}.${firstToken}`, `${firstId}.${firstToken}x`, `${firstId}`]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/agents', headers: { cookie } });
      assert.equal(res.statusCode, 401, cookie);
    }
  });

  it('an admin session reaches the admin routes', async () => {
    const { cookie, csrf, me } = await signIn(TEST_ADMIN_TOKEN);
    assert.equal((me as { kind: string }).kind, 'admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: { cookie, 'x-parley-csrf': csrf },
      payload: { name: 'Made in the console' },
    });
    assert.equal(created.statusCode, 201, created.body);
  });

  it('serves the page with a CSP that allows no inline or eval script', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const escape = await t.app.inject({ method: 'GET', url: '/console/..%2Fpackage.json' });
    assert.equal(escape.statusCode, 404);
  });
});
