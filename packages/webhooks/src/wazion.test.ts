import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWazion, verifyWazion } from './wazion.ts';

const secret = 'parley-test-secret';
const body = '{"event":"test","data":{"name":"José"}}';

describe('WAzion signatures', () => {
  it('round-trips, for a string body and for its bytes alike', () => {
    const signature = signWazion(body, secret);
    assert.match(signature, /^[0-9a-f]{64}$/, 'lowercase hex');
    assert.equal(signWazion(Buffer.from(body, 'utf8'), secret), signature);
    assert.equal(verifyWazion(Buffer.from(body, 'utf8'), secret, signature), true);
    assert.equal(verifyWazion(`${body} `, secret, signature), false, 'one more space');
    assert.equal(verifyWazion(body, `${secret}2`, signature), false, 'another secret');
  });

  it('accepts upper-case hex', () => {
    assert.equal(verifyWazion(body, secret, signWazion(body, secret).toUpperCase()), true);
  });

  it('answers false without throwing on malformed or missing signatures', () => {
    const signature = signWazion(body, secret);
    for (const received of [
      undefined,
      '',
      signature.slice(0, 63),
      `${signature}0`,
      `sha256=${signature}`,
      ` ${signature.slice(1)}`,
      `${signature.slice(0, 62)}zz`,
      'é'.repeat(64),
    ]) {
      assert.equal(verifyWazion(body, secret, received), false, String(received));
    }
  });

  it('refuses an empty secret: signing throws, verifying answers false', () => {
    assert.throws(() => signWazion(body, ''), TypeError);
    assert.equal(verifyWazion(body, '', signWazion(body, 'x')), false);
  });

  it('names the raw-body pitfall when handed parsed JSON', () => {
    const parsed = JSON.parse(body) as unknown as string;
    assert.throws(() => verifyWazion(parsed, secret, 'ab'), /raw request body/);
  });
});
