import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isAppError } from '../../lib/errors.ts';
import { planWebhookChange } from './config-change.ts';
import { defaultWebhookConfig, type StoredWebhookConfig } from './config-store.ts';

const stored: StoredWebhookConfig = {
  ...defaultWebhookConfig,
  enabled: true,
  url: 'https://example.com/hooks',
  events: ['phone.detected'],
  sealedSecret: 'v1.sealed',
};

test('omitted fields keep their value; events replace the list, without duplicates', () => {
  const change = planWebhookChange(stored, {
    webhook_enabled: true,
    webhook_events: ['followup.replied', 'test', 'followup.replied'],
  });
  assert.equal(change.url, 'https://example.com/hooks');
  assert.deepEqual(change.events, ['followup.replied', 'test']);
  assert.deepEqual(change.secret, { kind: 'keep' });
  assert.equal(change.summary, 'webhook_events [phone.detected] → [followup.replied, test]');
  assert.match(change.consequence, /signed with the secret/);
});

test('the secret shows only as has_secret and (changed)/(removed)', () => {
  const set = planWebhookChange(stored, { webhook_enabled: true, webhook_secret: 'n3w-secret' });
  assert.equal(set.after.webhook_secret, '(changed)');
  assert.equal(set.summary, 'replace the secret');
  assert.ok(!JSON.stringify([set.before, set.after, set.summary, set.consequence]).includes('n3w-secret'));

  const removed = planWebhookChange(stored, { webhook_enabled: true, webhook_secret: null });
  assert.deepEqual(removed.secret, { kind: 'remove' });
  assert.equal(removed.after.has_secret, false);
  assert.equal(removed.after.webhook_secret, '(removed)');
  assert.match(removed.consequence, /unsigned/);

  const nothingToRemove = planWebhookChange(
    { ...stored, sealedSecret: null },
    { webhook_enabled: true, webhook_secret: null },
  );
  assert.deepEqual(nothingToRemove.secret, { kind: 'keep' });
  assert.equal(nothingToRemove.summary, 'nothing changes (the webhook is already configured like this)');
});

test('configuring a paused webhook resumes it, and says why it was paused', () => {
  const paused: StoredWebhookConfig = {
    ...stored,
    pausedAt: new Date('2026-03-01T00:00:00Z'),
    pauseReason: 'failing',
  };
  const change = planWebhookChange(paused, { webhook_enabled: true });
  assert.equal(change.before.state, 'paused');
  assert.equal(change.after.state, 'active');
  assert.equal(
    change.summary,
    'resume delivery (paused after deliveries failed for 5 days); the events stored meanwhile are sent',
  );
});

test('the timeout keeps its value unless given; a whsec_ secret must carry base64', () => {
  assert.equal(planWebhookChange(stored, { webhook_enabled: true }).timeoutMs, 180_000);
  const lower = planWebhookChange(stored, { webhook_enabled: true, webhook_timeout_ms: 5_000 });
  assert.equal(lower.timeoutMs, 5_000);
  assert.equal(lower.summary, 'webhook_timeout_ms 180000 → 5000');
  assert.throws(
    () => planWebhookChange(stored, { webhook_enabled: true, webhook_secret: 'whsec_not base64!' }),
    (error: unknown) => isAppError(error) && /webhook_secret starts with whsec_/.test(error.message),
  );
  assert.equal(
    planWebhookChange(stored, {
      webhook_enabled: true,
      webhook_secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }).secret.kind,
    'set',
  );
});

test('enabling needs a URL and at least one event', () => {
  const empty = defaultWebhookConfig;
  assert.throws(
    () => planWebhookChange(empty, { webhook_enabled: true, webhook_events: ['test'] }),
    (error: unknown) => isAppError(error) && /webhook_url is required/.test(error.message),
  );
  assert.throws(
    () => planWebhookChange(empty, { webhook_enabled: true, webhook_url: 'https://example.com/h' }),
    (error: unknown) =>
      isAppError(error) &&
      /valid events: phone\.detected, followup\.detected, followup\.replied, followup\.converted, test/.test(
        error.message,
      ),
  );
  assert.equal(planWebhookChange(empty, { webhook_enabled: false }).after.state, 'disabled');
});
