import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { boundTo, createSecretBox, isBoundSeal, loadOrCreateSecretKey } from './secret-box.ts';
import { sealV1 } from '../../test/helpers/legacy-seal.ts';

describe('secret box', () => {
  const signing = boundTo('shop_a', 'shops.request_signing_secret');

  it('seals to an opaque value that opens to the original where it was sealed', () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal('whsec_top-secret', signing);
    assert.equal(sealed.includes('top-secret'), false);
    assert.match(sealed, /^v2\./);
    assert.ok(isBoundSeal(sealed));
    assert.notEqual(box.seal('whsec_top-secret', signing), sealed, 'a fresh IV each time');
    assert.equal(box.open(sealed, signing), 'whsec_top-secret');
  });

  it('refuses a value sealed under another key or tampered with', () => {
    const sealed = createSecretBox(randomBytes(32)).seal('x', signing);
    assert.throws(() => createSecretBox(randomBytes(32)).open(sealed, signing), /PARLEY_SECRET_KEY differs/);
    const box = createSecretBox(randomBytes(32));
    const parts = box.seal('hello', signing).split('.');
    parts[3] = Buffer.from('jello').toString('base64url');
    assert.throws(() => box.open(parts.join('.'), signing), /could not be decrypted/);
  });

  it('does not open a value copied to another shop or another column, even once opened where it belongs', () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal('tok', boundTo('shop_a', 'crm_endpoints.credentials'));
    assert.equal(box.open(sealed, boundTo('shop_a', 'crm_endpoints.credentials')), 'tok');
    assert.equal(box.open(sealed, boundTo('shop_a', 'crm_endpoints.credentials')), 'tok', 'opened again');
    assert.throws(
      () => box.open(sealed, boundTo('shop_b', 'crm_endpoints.credentials')),
      /copied from another shop/,
    );
    assert.throws(
      () => box.open(sealed, boundTo('shop_a', 'custom_functions.credentials')),
      /copied from another shop/,
    );
  });

  it('opens an old unbound v1 value only through openUnbound, which the reseal step uses', () => {
    const key = randomBytes(32);
    const box = createSecretBox(key);
    const legacy = sealV1(key, 'old secret');
    assert.equal(isBoundSeal(legacy), false);
    assert.equal(box.openUnbound(legacy), 'old secret');
    assert.throws(() => box.open(legacy, signing), /old unbound format \(v1\); restart Parley/);
    assert.throws(() => box.openUnbound(box.seal('new', signing)), /unknown format/);
  });

  it('generates the key once into the data dir with mode 0600, then reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-key-'));
    try {
      const first = loadOrCreateSecretKey(undefined, dir);
      assert.equal(first.generated, true);
      assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
      const second = loadOrCreateSecretKey(undefined, dir);
      assert.equal(second.generated, false);
      assert.deepEqual(second.key, first.key);
      assert.equal(readFileSync(join(dir, 'secret.key'), 'utf8').trim(), first.key.toString('base64'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses a configured key in hex or base64', () => {
    const key = randomBytes(32);
    assert.deepEqual(loadOrCreateSecretKey(key.toString('hex'), '/nonexistent').key, key);
    assert.deepEqual(loadOrCreateSecretKey(key.toString('base64'), '/nonexistent').key, key);
  });
});
