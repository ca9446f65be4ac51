/**
 * Every route says who may call it (docs/architecture.md#who-may-call-a-route): the auth plugin refuses
 * to register a route that declares nothing, lets anyone reach a public route, and hands a declared
 * route its caller. Apps built here carry the real plugin and error mapper over a test app's database.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { allowCallers, publicRoute } from '../src/features/shops/index.ts';
import { authPlugin } from '../src/http/auth-plugin.ts';
import { registerErrorHandling } from '../src/http/errors.ts';
import { noRouteSchemas } from '../src/http/route-schemas.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let shop: { shopId: string; token: string };

before(async () => {
  t = await startTestApp();
  shop = await t.createShop();
});
after(() => t.close());

async function appWithAuth(): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandling(app);
  await app.register(authPlugin, { deps: t.deps });
  return app;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('a route without an access declaration', () => {
  test('is refused when it is registered, naming the route', async () => {
    const app = await appWithAuth();
    assert.throws(
      () => app.get('/api/forgotten', async () => ({ open: true })),
      /^Error: GET \/api\/forgotten declares no access: pass allowCallers/,
    );
    await app.close();
  });

  test('in a plugin of its own, stops the app from starting', async () => {
    const app = await appWithAuth();
    void app.register(async (scope) => {
      scope.post('/api/scoped', async () => ({ open: true }));
    });
    await assert.rejects(async () => {
      await app.ready();
    }, /POST \/api\/scoped declares no access/);
    await app.close();
  });
});

test('a route that declares a Fastify schema stops the app from starting (requests are validated with zod)', async () => {
  const app = Fastify({ schemaController: noRouteSchemas });
  app.get('/api/schema', { schema: { querystring: { type: 'object' } } }, async () => ({ open: true }));
  await assert.rejects(async () => {
    await app.ready();
  }, /Fastify route schemas are not used/);
  await app.close();
});

describe('a public route', () => {
  test('of the server answers without a token', async () => {
    for (const url of ['/health', '/api/openapi.json']) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    }
  });

  test('reads no credential, even a bad one', async () => {
    const app = await appWithAuth();
    app.get('/open', publicRoute, async (request) => ({ principal: request.principal }));
    for (const headers of [{}, bearer('not-a-token-of-anyone-0000')]) {
      const response = await app.inject({ method: 'GET', url: '/open', headers });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { principal: null });
    }
    await app.close();
  });
});

describe('a route declaring its callers', () => {
  const shopOnly = allowCallers(['shop']);

  test('gets the caller it declared, and refuses the others before it runs', async () => {
    const app = await appWithAuth();
    let ran = 0;
    app.get('/mine', shopOnly.route, async (request) => {
      ran += 1;
      return { shopId: shopOnly.principal(request).shopId };
    });

    const mine = await app.inject({ method: 'GET', url: '/mine', headers: bearer(shop.token) });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual(mine.json(), { shopId: shop.shopId });

    const anonymous = await app.inject({ method: 'GET', url: '/mine' });
    assert.equal(anonymous.statusCode, 401);
    assert.match(anonymous.json().error.message, /^Unauthorized: invalid or missing Bearer token\./);
    const head = await app.inject({ method: 'HEAD', url: '/mine' });
    assert.equal(head.statusCode, 401, 'the HEAD route Fastify adds is guarded too');
    const admin = await app.inject({ method: 'GET', url: '/mine', headers: bearer(TEST_ADMIN_TOKEN) });
    assert.equal(admin.statusCode, 403);
    assert.deepEqual(admin.json(), {
      error: { code: 'FORBIDDEN', message: 'This endpoint needs a shop token; you sent the admin token.' },
    });
    assert.equal(ran, 1);
    await app.close();
  });

  test('that reads a caller it did not declare is a fault, not a way in', async () => {
    const app = await appWithAuth();
    app.get('/undeclared', publicRoute, async (request) => shopOnly.principal(request));
    const response = await app.inject({ method: 'GET', url: '/undeclared', headers: bearer(shop.token) });
    assert.equal(response.statusCode, 500);
    assert.equal(response.json().error.code, 'INTERNAL');
    await app.close();
  });
});
