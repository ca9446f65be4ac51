import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signStandard, verifyStandard, type VerifyStandardInput } from './standard.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'evt_01JD8Z3Q4V7W2X5Y6Z8A9B0C1D';
const timestamp = 1_700_000_000;
const body = '{"id":"evt_01JD8Z3Q4V7W2X5Y6Z8A9B0C1D","event":"test","data":{}}';
const signature = signStandard({ id, timestamp, body, secret });
const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };

function verifyAt(nowSeconds: number, overrides: Partial<VerifyStandardInput> = {}): string {
  const result = verifyStandard({ headers, body, secret, now: nowSeconds * 1000, ...overrides });
  return result.ok ? 'OK' : result.code;
}

describe('Standard Webhooks signing', () => {
  it('round-trips and returns the signed id and timestamp', () => {
    assert.match(signature, /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(verifyStandard({ headers, body: Buffer.from(body), secret, now: timestamp * 1000 }), {
      ok: true,
      id,
      timestamp,
    });
  });

  it('checks against the current clock by default', () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const fresh = { ...headers, 'webhook-timestamp': String(nowSeconds) };
    fresh['webhook-signature'] = signStandard({ id, timestamp: nowSeconds, body, secret });
    assert.equal(verifyStandard({ headers: fresh, body, secret }).ok, true);
    assert.equal(verifyStandard({ headers, body, secret }).ok, false, 'the 2023 timestamp is stale today');
  });

  it('throws on a timestamp that is not whole unix seconds, and on an invalid secret', () => {
    for (const bad of [1_700_000_000.5, -1, Number.NaN, Date.now() * 1e6]) {
      assert.throws(() => signStandard({ id, timestamp: bad, body, secret }), RangeError, String(bad));
    }
    assert.throws(() => signStandard({ id, timestamp, body, secret: 'whsec_not base64' }), TypeError);
  });
});

describe('Standard Webhooks verification', () => {
  it('accepts any listed v1 signature, so a secret can rotate', () => {
    const old = signStandard({ id, timestamp, body, secret: 'old-secret' });
    const rotating = { ...headers, 'webhook-signature': `${old} ${signature}` };
    assert.equal(verifyAt(timestamp, { headers: rotating }), 'OK');
    assert.equal(verifyAt(timestamp, { headers: rotating, secret: 'old-secret' }), 'OK');
    assert.equal(verifyAt(timestamp, { headers: rotating, secret: 'third-secret' }), 'NO_MATCHING_SIGNATURE');
  });

  it('skips other versions, extra spaces and malformed entries without throwing', () => {
    const value = signature.slice('v1,'.length);
    const noisy = `v2,${value}  v1 ,, v1,${'é'.repeat(value.length)} v1,${value.slice(0, -1)}`;
    assert.equal(
      verifyAt(timestamp, { headers: { ...headers, 'webhook-signature': noisy } }),
      'NO_MATCHING_SIGNATURE',
    );
    const withMatch = `${noisy}  ${signature}`;
    assert.equal(verifyAt(timestamp, { headers: { ...headers, 'webhook-signature': withMatch } }), 'OK');
  });

  it('allows the tolerance in both directions and not a second more', () => {
    assert.equal(verifyAt(timestamp + 300), 'OK');
    assert.equal(verifyAt(timestamp + 300.999), 'OK', 'the clock is floored to whole seconds');
    assert.equal(verifyAt(timestamp + 301), 'TIMESTAMP_TOO_OLD');
    assert.equal(verifyAt(timestamp - 300), 'OK');
    assert.equal(verifyAt(timestamp - 301), 'TIMESTAMP_IN_FUTURE');
    assert.equal(verifyAt(timestamp + 30, { toleranceSeconds: 29 }), 'TIMESTAMP_TOO_OLD');
    assert.equal(verifyAt(timestamp - 30, { toleranceSeconds: 29 }), 'TIMESTAMP_IN_FUTURE');
    assert.equal(verifyAt(timestamp + 30, { toleranceSeconds: 30 }), 'OK');
  });

  it('fails closed on a NaN tolerance or clock', () => {
    assert.equal(verifyAt(timestamp, { toleranceSeconds: Number.NaN }), 'TIMESTAMP_TOO_OLD');
    assert.equal(verifyAt(Number.NaN), 'TIMESTAMP_TOO_OLD');
  });

  it('refuses timestamps that are not canonical whole seconds', () => {
    for (const text of [
      ' 1700000000',
      '1700000000 ',
      '-1',
      '1e9',
      '1700000000.0',
      '0x10',
      '+1700000000',
      '9'.repeat(16),
    ]) {
      assert.equal(
        verifyAt(timestamp, { headers: { ...headers, 'webhook-timestamp': text } }),
        'INVALID_TIMESTAMP',
        text,
      );
    }
  });

  it('reports each missing or empty header', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _removed, ...rest } = headers;
      assert.equal(verifyAt(timestamp, { headers: rest }), 'MISSING_HEADER', `${name} absent`);
      assert.equal(
        verifyAt(timestamp, { headers: { ...headers, [name]: '' } }),
        'MISSING_HEADER',
        `${name} empty`,
      );
    }
  });

  it('looks headers up case-insensitively, in a record or a Fetch Headers object', () => {
    const shouting = {
      'WEBHOOK-ID': id,
      'Webhook-Timestamp': String(timestamp),
      'webhook-Signature': signature,
    };
    assert.equal(verifyAt(timestamp, { headers: shouting }), 'OK');
    assert.equal(verifyAt(timestamp, { headers: new Headers(shouting) }), 'OK');
  });

  it('refuses a secret that gives no key', () => {
    assert.equal(verifyAt(timestamp, { secret: 'whsec_' }), 'INVALID_SECRET');
    assert.equal(verifyAt(timestamp, { secret: '' }), 'INVALID_SECRET');
  });
});
