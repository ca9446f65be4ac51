// Checks the implementation against test-vectors.json, whose expected values were computed with
// Python's hmac/hashlib/base64, not with this code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vectors from '../test-vectors.json' with { type: 'json' };
import { buildSignatureHeaders, signStandard, signWazion, verifyStandard, verifyWazion } from './index.ts';

function rawBody(vector: { body: string; bodyEncoding: string }): Buffer {
  if (vector.bodyEncoding === 'hex') return Buffer.from(vector.body, 'hex');
  assert.equal(vector.bodyEncoding, 'utf8', 'bodyEncoding is utf8 or hex');
  return Buffer.from(vector.body, 'utf8');
}

describe('signing vectors', () => {
  for (const vector of vectors.sign) {
    it(vector.name, () => {
      const body = rawBody(vector);
      const { id, timestamp, secret } = vector;
      assert.equal(signWazion(body, secret), vector.wazionSignature);
      assert.equal(signStandard({ id, timestamp, body, secret }), vector.standardSignature);
      if (vector.bodyEncoding === 'utf8') {
        // A string body stands for its UTF-8 bytes.
        assert.equal(signWazion(vector.body, secret), vector.wazionSignature);
        assert.equal(signStandard({ id, timestamp, body: vector.body, secret }), vector.standardSignature);
      }
      assert.equal(verifyWazion(body, secret, vector.wazionSignature), true);
      const headers = buildSignatureHeaders({ id, event: 'test', attempt: 1, timestamp, body, secret });
      assert.equal(headers['X-WAzion-Signature'], vector.wazionSignature);
      assert.equal(headers['webhook-signature'], vector.standardSignature);
      assert.deepEqual(verifyStandard({ headers, body, secret, now: timestamp * 1000 }), {
        ok: true,
        id,
        timestamp,
      });
    });
  }

  it('the raw-bytes vector changes its signatures once decoded to a string (the raw-body pitfall)', () => {
    const vector = vectors.sign.find((candidate) => candidate.bodyEncoding === 'hex');
    assert.ok(vector, 'a vector gives its body as raw bytes');
    const decoded = rawBody(vector).toString('utf8');
    assert.notEqual(signWazion(decoded, vector.secret), vector.wazionSignature);
    assert.notEqual(signStandard({ ...vector, body: decoded }), vector.standardSignature);
  });
});

describe('verification vectors', () => {
  for (const vector of vectors.verify) {
    it(vector.name, () => {
      const body = rawBody(vector);
      const { headers, secret, toleranceSeconds } = vector;
      const result = verifyStandard({
        headers,
        body,
        secret,
        toleranceSeconds,
        now: vector.nowSeconds * 1000,
      });
      assert.equal(result.ok ? 'OK' : result.code, vector.expect.standard);
      assert.equal(verifyWazion(body, secret, headers['X-WAzion-Signature']), vector.expect.wazion);
    });
  }
});

describe('the vector file', () => {
  it('holds the cases its README promises', () => {
    const secrets = vectors.sign.map((vector) => vector.secret);
    assert.ok(
      secrets.some((secret) => secret.startsWith('whsec_')),
      'a whsec_ secret',
    );
    assert.ok(
      secrets.some((secret) => /[^\x20-\x7e]/.test(secret)),
      'a non-ASCII secret',
    );
    assert.ok(
      vectors.sign.some((vector) => /[^\x20-\x7e]/.test(vector.body)),
      'a body with non-ASCII characters',
    );
    assert.ok(
      vectors.sign.some((vector) => /\s/.test(vector.body)),
      'a body with whitespace',
    );
    const outcomes = new Set(vectors.verify.map((vector) => vector.expect.standard));
    for (const code of [
      'OK',
      'MISSING_HEADER',
      'INVALID_TIMESTAMP',
      'TIMESTAMP_TOO_OLD',
      'TIMESTAMP_IN_FUTURE',
      'NO_MATCHING_SIGNATURE',
    ]) {
      assert.ok(outcomes.has(code), `a verification vector expecting ${code}`);
    }
  });
});
