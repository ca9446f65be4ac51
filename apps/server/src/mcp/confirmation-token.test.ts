import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  checkConfirmationToken,
  issueConfirmationToken,
  type ConfirmationSubject,
} from './confirmation-token.ts';

const key = randomBytes(32);
const now = new Date('2026-03-02T10:00:00Z');
const subject: ConfirmationSubject = {
  shopId: 'shop_a',
  tool: 'configure_webhooks',
  args: { webhook_enabled: true, webhook_events: ['test'] },
  before: { webhook_enabled: false, webhook_url: null },
  after: { webhook_enabled: true, webhook_url: 'https://example.com/h' },
  hidden: 'v1.sealed',
};
const at = (ms: number) => new Date(now.getTime() + ms);

test('valid for the same subject within 10 minutes, whatever the key order', () => {
  const token = issueConfirmationToken(key, subject, now);
  const reordered = { ...subject, after: { webhook_url: 'https://example.com/h', webhook_enabled: true } };
  assert.equal(checkConfirmationToken(key, reordered, token, at(10 * 60_000 - 1_000)), 'valid');
  assert.equal(checkConfirmationToken(key, subject, token, at(10 * 60_000 + 1)), 'expired');
});

test('any difference in what it binds is a mismatch', () => {
  const token = issueConfirmationToken(key, subject, now);
  const changes: Array<Partial<ConfirmationSubject>> = [
    { shopId: 'shop_b' },
    { tool: 'update_crm_endpoints' },
    { args: { webhook_enabled: true, webhook_events: ['phone.detected'] } },
    { before: { webhook_enabled: true, webhook_url: null } },
    { after: { webhook_enabled: true, webhook_url: 'https://example.com/other' } },
    { hidden: 'v1.another-sealed' },
  ];
  for (const change of changes) {
    assert.equal(
      checkConfirmationToken(key, { ...subject, ...change }, token, now),
      'mismatch',
      JSON.stringify(change),
    );
  }
  assert.equal(checkConfirmationToken(randomBytes(32), subject, token, now), 'mismatch', 'another key');
});

test('a forged expiry or a malformed token is a mismatch, never valid', () => {
  const token = issueConfirmationToken(key, subject, now);
  const [version, expiry, mac] = token.split('.');
  assert.equal(
    checkConfirmationToken(key, subject, `${version}.${Number(expiry) + 3600}.${mac}`, now),
    'mismatch',
  );
  for (const bad of ['', 'ct1', 'ct1..', `ct1.${expiry}.`, `${token}x`, token.toUpperCase()]) {
    assert.equal(checkConfirmationToken(key, subject, bad, now), 'mismatch', bad);
  }
});
