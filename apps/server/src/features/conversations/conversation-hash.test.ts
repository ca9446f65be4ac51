import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { conversationHash, conversationHashKey } from './conversation-hash.ts';

test('the hash is hex, stable for one shop and chat, and differs by shop, chat and server key', () => {
  const key = conversationHashKey(randomBytes(32));
  const hash = conversationHash(key, 'shop_a', '+34612345678');
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(conversationHash(key, 'shop_a', '+34612345678'), hash);
  assert.notEqual(conversationHash(key, 'shop_b', '+34612345678'), hash);
  assert.notEqual(conversationHash(key, 'shop_a', '+34655123987'), hash);
  assert.notEqual(conversationHash(conversationHashKey(randomBytes(32)), 'shop_a', '+34612345678'), hash);
});

test('the key is derived, not the signing key itself', () => {
  const signingKey = randomBytes(32);
  assert.notDeepEqual(conversationHashKey(signingKey), signingKey);
  assert.notEqual(
    conversationHash(conversationHashKey(signingKey), 'shop_a', '+34612345678'),
    conversationHash(signingKey, 'shop_a', '+34612345678'),
  );
});
