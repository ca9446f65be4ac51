import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSecretBox, loadOrCreateSecretKey } from './secret-box.ts';

describe('secret box', () => {
  it('seals to an opaque value that opens to the original', () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal('whsec_top-secret');
    assert.equal(sealed.includes('top-secret'), false);
    assert.match(sealed, /^v1\./);
    assert.notEqual(box.seal('whsec_top-secret'), sealed, 'a fresh IV each time');
    assert.equal(box.open(sealed), 'whsec_top-secret');
  });

  it('refuses a value sealed under another key or tampered with', () => {
    const sealed = createSecretBox(randomBytes(32)).seal('x');
    assert.throws(() => createSecretBox(randomBytes(32)).open(sealed), /PARLEY_SECRET_KEY differs/);
    const box = createSecretBox(randomBytes(32));
    const parts = box.seal('hello').split('.');
    parts[3] = Buffer.from('jello').toString('base64url');
    assert.throws(() => box.open(parts.join('.')), /could not be decrypted/);
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
