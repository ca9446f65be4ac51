import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateToken, hashToken, safeEqual, tokenPrefix } from './tokens.ts';

describe('tokens', () => {
  it('shows only the kind and four characters, even when the random part contains underscores', () => {
    assert.equal(tokenPrefix('pk_shop_abcd_efgh_ijkl'), 'pk_shop_abcd');
    assert.equal(tokenPrefix('pk_agent_Zx9_'), 'pk_agent_Zx9_');
    for (let i = 0; i < 200; i++) {
      const token = generateToken('shop');
      assert.equal(tokenPrefix(token).length, 'pk_shop_'.length + 4);
    }
  });

  it('hashes are hex SHA-256 and compare in constant time', () => {
    const token = generateToken('agent');
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
    // The FIPS 180-2 vector: hashes stored by earlier releases must keep matching.
    assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(safeEqual(hashToken(token), hashToken(token)), true);
    assert.equal(safeEqual(hashToken(token), hashToken(`${token}x`)), false);
  });
});
