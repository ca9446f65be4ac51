import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { apiTokens } from '../../db/schema.ts';
import { PRINCIPAL_CACHE_MS } from './principal-cache.ts';
import { authenticateToken } from './service.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('a token is resolved from memory for PRINCIPAL_CACHE_MS, then from the database again', async () => {
  const { shopId, token } = await t.createShop();
  assert.deepEqual(await authenticateToken(t.deps, token), { kind: 'shop', shopId });
  // Revoked in the database: the remembered principal still answers until it expires.
  await t.deps.db.update(apiTokens).set({ revokedAt: t.clock.now() }).where(eq(apiTokens.shopId, shopId));
  t.clock.advance(PRINCIPAL_CACHE_MS - 1);
  assert.deepEqual(await authenticateToken(t.deps, token), { kind: 'shop', shopId });
  t.clock.advance(1);
  assert.equal(await authenticateToken(t.deps, token), null);
});

test('an unknown token is not remembered: it works as soon as it exists', async () => {
  const { shopId, token } = await t.createShop();
  await t.deps.db.update(apiTokens).set({ revokedAt: t.clock.now() }).where(eq(apiTokens.shopId, shopId));
  assert.equal(await authenticateToken(t.deps, token), null);
  await t.deps.db.update(apiTokens).set({ revokedAt: null }).where(eq(apiTokens.shopId, shopId));
  assert.deepEqual(await authenticateToken(t.deps, token), { kind: 'shop', shopId });
});
