/** get_webhook_config and configure_webhooks over MCP: the confirmation flow, isolation, secrets, validation. */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { webhookConfigView, type WebhookConfigView } from '@parley/contract';
import { eq } from 'drizzle-orm';
import { shops, webhookConfigs } from '../src/db/schema.ts';
import { boundTo } from '../src/lib/secret-box.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { callTool, textOf, type ToolCallResult } from './helpers/mcp.ts';
import { newShopWebhookConfig } from './helpers/webhooks.ts';

let t: TestApp;
let token: string;
let shopId: string;
/** Every raw response body of this file, searched at the end for the secrets sent. */
const responses: string[] = [];
const secretsSent: string[] = [];

const newSecret = () => {
  const secret = `sEcReT-${randomBytes(12).toString('hex')}`;
  secretsSent.push(secret);
  return secret;
};

before(async () => {
  t = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '10000' });
});
beforeEach(async () => {
  ({ token, shopId } = await t.createShop());
});
after(async () => {
  await t.close();
});

async function call(name: string, args: Record<string, unknown> = {}, as = token): Promise<ToolCallResult> {
  const result = await callTool(t.app, as, name, args);
  responses.push(result.raw);
  return result;
}

async function readConfig(as = token): Promise<WebhookConfigView> {
  const result = await call('get_webhook_config', {}, as);
  assert.equal(result.isError, undefined);
  return webhookConfigView.parse(result.structuredContent);
}

/** Preview, then confirm with the preview's token; returns the applied config. */
async function configure(args: Record<string, unknown>, as = token): Promise<WebhookConfigView> {
  const preview = await call('configure_webhooks', args, as);
  const confirmationToken = preview.structuredContent?.confirmation_token;
  assert.equal(typeof confirmationToken, 'string', textOf(preview));
  const applied = await call(
    'configure_webhooks',
    { ...args, confirm: true, confirmation_token: confirmationToken },
    as,
  );
  assert.equal(applied.isError, undefined, textOf(applied));
  return webhookConfigView.parse((applied.structuredContent as { webhook: unknown }).webhook);
}

const hook = 'http://127.0.0.1:9/hooks/parley';

test('a new shop reads the defaults, and the text item is the same JSON as structuredContent', async () => {
  const result = await call('get_webhook_config');
  assert.deepEqual(result.structuredContent, newShopWebhookConfig);
  assert.deepEqual(JSON.parse(textOf(result)), result.structuredContent);
});

test('without confirm: a preview that changes nothing', async () => {
  const secret = newSecret();
  const args = {
    webhook_enabled: true,
    webhook_url: hook,
    webhook_secret: secret,
    webhook_events: ['phone.detected'],
  };
  const preview = await call('configure_webhooks', args);
  assert.equal(preview.isError, undefined);
  const text = textOf(preview);
  assert.ok(text.startsWith('⚠️ CONFIRMATION REQUIRED: enable the webhook'), text);
  assert.match(text, /Parley will POST phone\.detected events to http:\/\/127\.0\.0\.1:9\/hooks\/parley/);
  assert.match(text, /call configure_webhooks again with the same arguments plus "confirm": true/);
  const structured = preview.structuredContent as {
    status: string;
    changes: { before: Record<string, unknown>; after: Record<string, unknown> };
    confirmation_token: string;
  };
  assert.deepEqual(Object.keys(structured).sort(), ['changes', 'confirmation_token', 'status']);
  assert.equal(structured.status, 'confirmation_required');
  assert.equal(structured.changes.before.webhook_enabled, false);
  assert.equal(structured.changes.after.webhook_url, hook);
  assert.equal(structured.changes.after.has_secret, true);
  assert.equal(structured.changes.after.webhook_secret, '(changed)');

  assert.equal((await readConfig()).webhook_enabled, false);
  const [row] = await t.deps.db.select().from(webhookConfigs).where(eq(webhookConfigs.shopId, shopId));
  assert.equal(row, undefined);
});

test('confirm: true without a token applies the change; the secret is stored sealed', async () => {
  const secret = newSecret();
  const args = {
    webhook_enabled: true,
    webhook_url: hook,
    webhook_secret: secret,
    webhook_events: ['phone.detected'],
  };
  const applied = await call('configure_webhooks', { ...args, confirm: true });
  assert.equal(applied.isError, undefined, textOf(applied));
  assert.equal((applied.structuredContent as { status: string }).status, 'applied');

  const config = await readConfig();
  assert.deepEqual(config, {
    webhook_enabled: true,
    webhook_url: hook,
    webhook_events: ['phone.detected'],
    has_secret: true,
    webhook_timeout_ms: 180_000,
    delivery: {
      state: 'active',
      pause_reason: null,
      next_probe_at: null,
      last_success_at: null,
      last_failure_at: null,
      failing_since: null,
      pending: 0,
    },
  });
  const [row] = await t.deps.db.select().from(webhookConfigs).where(eq(webhookConfigs.shopId, shopId));
  const sealed = row?.secret ?? '';
  assert.ok(!sealed.includes(secret));
  assert.equal(t.deps.secrets.open(sealed, boundTo(shopId, 'webhook_configs.secret')), secret);
});

test('partial update: omitted fields keep their value, webhook_events replaces the list, null removes the secret', async () => {
  await configure({
    webhook_enabled: true,
    webhook_url: hook,
    webhook_secret: newSecret(),
    webhook_events: ['phone.detected', 'followup.replied'],
  });
  const eventsOnly = await configure({
    webhook_enabled: true,
    webhook_events: ['followup.converted', 'followup.converted'],
  });
  assert.equal(eventsOnly.webhook_url, hook);
  assert.equal(eventsOnly.has_secret, true);
  assert.deepEqual(eventsOnly.webhook_events, ['followup.converted']);

  const disabled = await configure({ webhook_enabled: false, webhook_secret: null });
  assert.equal(disabled.webhook_enabled, false);
  assert.equal(disabled.has_secret, false);
  assert.equal(disabled.webhook_url, hook);
  assert.equal(disabled.delivery.state, 'disabled');
});

test('a token from a preview applies that change; the same token fails once the state moved (drift)', async () => {
  await configure({ webhook_enabled: true, webhook_url: hook, webhook_events: ['phone.detected'] });
  const planned = { webhook_enabled: true, webhook_events: ['followup.detected'] };
  const preview = await call('configure_webhooks', planned);
  const staleToken = preview.structuredContent?.confirmation_token;

  // Someone else changes the events in between: the planned change would overwrite them, so the
  // result would look the same, but the state it was previewed against is gone.
  const other = await configure({ webhook_enabled: true, webhook_events: ['followup.replied'] });
  const refused = await call('configure_webhooks', {
    ...planned,
    confirm: true,
    confirmation_token: staleToken,
  });
  assert.equal(refused.isError, true);
  assert.match(
    textOf(refused),
    /^Error: The confirmation_token does not match this change: the state moved since the preview/,
  );
  assert.match(textOf(refused), /without "confirm" to preview the current state/);
  assert.deepEqual(await readConfig(), other, 'nothing changed');
});

test('replacing only the secret between preview and confirmation also invalidates the token', async () => {
  await configure({
    webhook_enabled: true,
    webhook_url: hook,
    webhook_events: ['phone.detected'],
    webhook_secret: newSecret(),
  });
  const planned = { webhook_enabled: false };
  const preview = await call('configure_webhooks', planned);
  await configure({ webhook_enabled: true, webhook_secret: newSecret() });
  const refused = await call('configure_webhooks', {
    ...planned,
    confirm: true,
    confirmation_token: preview.structuredContent?.confirmation_token,
  });
  assert.equal(refused.isError, true);
  assert.equal((await readConfig()).webhook_enabled, true);
});

test('a token does not confirm different arguments, even ones the preview shows the same way', async () => {
  const args = { webhook_enabled: true, webhook_url: hook, webhook_events: ['test'] };
  const preview = await call('configure_webhooks', { ...args, webhook_secret: newSecret() });
  // Another secret previews identically ("(changed)"), so only the token's binding of the arguments catches it.
  const refused = await call('configure_webhooks', {
    ...args,
    webhook_secret: newSecret(),
    confirm: true,
    confirmation_token: preview.structuredContent?.confirmation_token,
  });
  assert.equal(refused.isError, true);
  assert.match(textOf(refused), /the arguments differ from the previewed ones/);
  assert.equal((await readConfig()).webhook_enabled, false);
});

test('a token is valid for 10 minutes, then expires', async () => {
  const args = { webhook_enabled: true, webhook_url: hook, webhook_events: ['test'] };
  const first = await call('configure_webhooks', args);
  t.clock.advance(9 * 60_000 + 59_000);
  const stillValid = await call('configure_webhooks', {
    ...args,
    confirm: true,
    confirmation_token: first.structuredContent?.confirmation_token,
  });
  assert.equal(stillValid.isError, undefined, textOf(stillValid));

  const next = { webhook_enabled: false };
  const second = await call('configure_webhooks', next);
  t.clock.advance(10 * 60_000 + 1_000);
  const expired = await call('configure_webhooks', {
    ...next,
    confirm: true,
    confirmation_token: second.structuredContent?.confirmation_token,
  });
  assert.equal(expired.isError, true);
  assert.match(
    textOf(expired),
    /^Error: The confirmation_token has expired \(tokens are valid for 10 minutes\)/,
  );
  assert.equal((await readConfig()).webhook_enabled, true, 'nothing changed');
});

test('a garbled token is refused', async () => {
  const refused = await call('configure_webhooks', {
    webhook_enabled: false,
    confirm: true,
    confirmation_token: 'ct1.99999999999.not-a-mac',
  });
  assert.equal(refused.isError, true);
  assert.match(textOf(refused), /does not match/);
});

test('a shop that requires the token: confirm without it is an error, with it the change applies', async () => {
  await t.deps.db
    .update(shops)
    .set({ settings: { requireConfirmationToken: true } })
    .where(eq(shops.id, shopId));
  const args = { webhook_enabled: true, webhook_url: hook, webhook_events: ['phone.detected'] };
  const preview = await call('configure_webhooks', args);
  assert.match(textOf(preview), /"confirmation_token": "ct1\.[^"]+" \(this shop requires it\)/);

  const refused = await call('configure_webhooks', { ...args, confirm: true });
  assert.equal(refused.isError, true);
  assert.match(textOf(refused), /^Error: This shop requires the confirmation_token/);
  assert.equal((await readConfig()).webhook_enabled, false, 'nothing changed');

  const applied = await call('configure_webhooks', {
    ...args,
    confirm: true,
    confirmation_token: preview.structuredContent?.confirmation_token,
  });
  assert.equal(applied.isError, undefined, textOf(applied));
  assert.equal((await readConfig()).webhook_enabled, true);
});

test('isolation: shop B never sees shop A’s webhook and cannot use A’s confirmation token', async () => {
  const secret = newSecret();
  await configure({
    webhook_enabled: true,
    webhook_url: hook,
    webhook_events: ['phone.detected'],
    webhook_secret: secret,
  });
  const b = await t.createShop('Shop B');
  const seenByB = await readConfig(b.token);
  assert.equal(seenByB.webhook_enabled, false);
  assert.equal(seenByB.webhook_url, null);
  assert.equal(seenByB.has_secret, false);

  const args = { webhook_enabled: false };
  const previewA = await call('configure_webhooks', args);
  const refused = await call(
    'configure_webhooks',
    { ...args, confirm: true, confirmation_token: previewA.structuredContent?.confirmation_token },
    b.token,
  );
  assert.equal(refused.isError, true);
  assert.equal((await readConfig()).webhook_enabled, true, 'A unchanged');
});

test('unknown fields and wrong types → isError listing every problem with its path; nothing changes', async () => {
  const before = await readConfig();
  const result = await call('configure_webhooks', {
    webhook_enabled: 'yes',
    webhook_events: ['phone.detected', 'order.created'],
    webhook_url: 42,
    colour: 'blue',
    confirm: 'true',
  });
  assert.equal(result.isError, true);
  assert.equal(result.structuredContent, undefined);
  const text = textOf(result);
  assert.ok(text.startsWith('Error: Invalid arguments for configure_webhooks: '), text);
  assert.match(text, /webhook_enabled: required, and must be true \(send events\) or false/);
  assert.match(
    text,
    /webhook_events\.1: unknown event "order\.created"; valid events: phone\.detected, followup\.detected, followup\.replied, followup\.converted, test/,
  );
  assert.match(text, /webhook_url: /);
  assert.match(text, /unknown field\(s\) "colour"/);
  assert.match(text, /confirm: must be true/);
  assert.match(
    text,
    /Accepted arguments: webhook_enabled, webhook_url, webhook_secret, webhook_events, webhook_timeout_ms, confirm, confirmation_token/,
  );
  // confirm was not a valid `true`, so even a valid rest would only have previewed: nothing changed.
  assert.deepEqual(await readConfig(), before);

  const readWithArgs = await call('get_webhook_config', { verbose: true });
  assert.equal(readWithArgs.isError, true);
  assert.match(textOf(readWithArgs), /unknown field\(s\) "verbose"/);
});

test('rule errors: enabling without a URL or events, a refused or non-http URL', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ webhook_enabled: true, webhook_events: ['test'] }, /webhook_url is required to enable the webhook/],
    [
      { webhook_enabled: true, webhook_url: hook },
      /webhook_events is empty: an enabled webhook needs at least one event/,
    ],
    [
      { webhook_enabled: true, webhook_url: 'http://10.20.30.40/hook', webhook_events: ['test'] },
      /webhook_url is refused: .*PARLEY_ALLOW_PRIVATE_TARGETS/,
    ],
    [
      { webhook_enabled: true, webhook_url: 'ftp://127.0.0.1/hook', webhook_events: ['test'] },
      /webhook_url must be an absolute http\(s\) URL/,
    ],
  ];
  for (const [args, message] of cases) {
    for (const confirm of [false, true]) {
      const result = await call('configure_webhooks', { ...args, confirm });
      assert.equal(result.isError, true, JSON.stringify(args));
      assert.match(textOf(result), message);
    }
  }
  assert.equal((await readConfig()).webhook_enabled, false);
});

test('no response of this file ever contained a secret in clear', () => {
  assert.ok(secretsSent.length >= 5 && responses.length > 20, 'the other tests ran first');
  for (const secret of secretsSent) {
    for (const body of responses) assert.ok(!body.includes(secret), `a response contains ${secret}`);
  }
});
