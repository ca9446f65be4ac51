import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeStandardKey, decodeWazionKey, isValidSecret } from './secret.ts';

describe('secrets', () => {
  it('decodes what follows whsec_ as base64 for Standard Webhooks', () => {
    const key = Buffer.from([0, 1, 2, 250, 251, 252, 253]);
    assert.deepEqual(decodeStandardKey(`whsec_${key.toString('base64')}`), key);
  });

  it('keys WAzion with the whole secret, prefix included, and plain secrets with their UTF-8 bytes', () => {
    assert.deepEqual(decodeWazionKey('whsec_AAAA'), Buffer.from('whsec_AAAA', 'utf8'));
    assert.deepEqual(decodeStandardKey('clé 🔑'), Buffer.from('clé 🔑', 'utf8'));
  });

  it('refuses secrets that give no key, or a key other receivers would decode differently', () => {
    for (const secret of [
      '',
      'whsec_',
      'whsec_top-secret',
      'whsec_AAECAw', // unpadded
      'whsec_AAAA====',
      'whsec_AA AA',
      'whsec_-_-_', // base64url alphabet
    ]) {
      assert.equal(isValidSecret(secret), false, secret);
    }
    for (const secret of [
      's',
      'whsec_AAECAw==',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec-not-a-prefix',
    ]) {
      assert.equal(isValidSecret(secret), true, secret);
    }
  });
});
