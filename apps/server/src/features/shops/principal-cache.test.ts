import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { apiTokens } from '../../db/schema.ts';
import { authenticateToken } from './authenticate.ts';
import { forgetShopPrincipals, PRINCIPAL_CACHE_MS } from './principal-cache.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const revokeInDatabase = (shopId: string, revokedAt: Date | null) =>
  t.deps.db.update(apiTokens).set({ revokedAt }).where(eq(apiTokens.shopId, shopId));

test('a remembered token is refused as soon as its shop is invalidated', async () => {
  const { shopId, token } = await t.createShop();
  assert.deepEqual(await authenticateToken(t.deps, token), { kind: 'shop', shopId });
  await revokeInDatabase(shopId, t.clock.now());
  assert.deepEqual(await authenticateToken(t.deps, token), { kind: 'shop', shopId }, 'still remembered');
  await forgetShopPrincipals(t.deps, shopId);
  assert.equal(await authenticateToken(t.deps, token), null);
});

test('a change nobody announced is seen after PRINCIPAL_CACHE_MS at the latest', async () => {
  const { shopId, token } = await t.createShop();
  assert.deepEqual(await authenticateToken(t.deps, token), { kind: 'shop', shopId });
  await revokeInDatabase(shopId, t.clock.now());
  t.clock.advance(PRINCIPAL_CACHE_MS - 1);
  assert.deepEqual(await authenticateToken(t.deps, token), { kind: 'shop', shopId });
  t.clock.advance(1);
  assert.equal(await authenticateToken(t.deps, token), null);
});

test('invalidating one shop keeps the other shops remembered', async () => {
  const a = await t.createShop();
  const b = await t.createShop();
  await authenticateToken(t.deps, a.token);
  await authenticateToken(t.deps, b.token);
  await revokeInDatabase(b.shopId, t.clock.now());
  await forgetShopPrincipals(t.deps, a.shopId);
  assert.deepEqual(await authenticateToken(t.deps, b.token), { kind: 'shop', shopId: b.shopId });
});

test('an unknown token is not remembered: it works as soon as it exists', async () => {
  const { shopId, token } = await t.createShop();
  await revokeInDatabase(shopId, t.clock.now());
  assert.equal(await authenticateToken(t.deps, token), null);
  await revokeInDatabase(shopId, null);
  assert.deepEqual(await authenticateToken(t.deps, token), { kind: 'shop', shopId });
});
