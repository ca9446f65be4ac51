import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSignatureHeaders } from './build-headers.ts';
import { signStandard } from './standard.ts';
import { signWazion } from './wazion.ts';

const input = {
  id: 'evt_01JD8Z3Q4V7W2X5Y6Z8A9B0C1D',
  event: 'phone.detected',
  attempt: 3,
  timestamp: 1_700_000_000,
  body: '{"id":"evt_01JD8Z3Q4V7W2X5Y6Z8A9B0C1D","event":"phone.detected"}',
};
const secret = 'parley-test-secret';

describe('buildSignatureHeaders', () => {
  it('sends exactly the set docs/webhooks.md lists, in its order, when a secret is set', () => {
    const wazion = signWazion(input.body, secret);
    assert.deepEqual(Object.entries(buildSignatureHeaders({ ...input, secret })), [
      ['Content-Type', 'application/json'],
      ['X-WAzion-Signature', wazion],
      ['X-Webhook-Signature', wazion],
      ['X-Webhook-ID', input.id],
      ['X-Webhook-Event', 'phone.detected'],
      ['X-Webhook-Attempt', '3'],
      ['X-Webhook-Timestamp', '1700000000'],
      ['webhook-id', input.id],
      ['webhook-timestamp', '1700000000'],
      ['webhook-signature', signStandard({ ...input, secret })],
    ]);
  });

  it('leaves out every signature header without a secret', () => {
    assert.deepEqual(Object.keys(buildSignatureHeaders(input)), [
      'Content-Type',
      'X-Webhook-ID',
      'X-Webhook-Event',
      'X-Webhook-Attempt',
      'X-Webhook-Timestamp',
      'webhook-id',
      'webhook-timestamp',
    ]);
  });

  it('throws on values the sender got wrong', () => {
    assert.throws(() => buildSignatureHeaders({ ...input, attempt: 0 }), RangeError);
    assert.throws(() => buildSignatureHeaders({ ...input, attempt: 1.5 }), RangeError);
    assert.throws(() => buildSignatureHeaders({ ...input, timestamp: Date.now() / 1000 }), RangeError);
    assert.throws(() => buildSignatureHeaders({ ...input, secret: 'whsec_top-secret' }), TypeError);
  });
});
