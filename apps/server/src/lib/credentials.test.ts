import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  openCredentials,
  redactCredentials,
  sealCredentials,
  type TargetCredentials,
} from './credentials.ts';
import { boundTo, createSecretBox } from './secret-box.ts';

const secrets = createSecretBox(randomBytes(32));
const binding = boundTo('shop_1', 'crm_endpoints.credentials');

const credentials: TargetCredentials = {
  token: 'tok-7c1e',
  headers: { 'X-Api-Key': 'key-90ab' },
  auth: { type: 'query', fields: { api_key: 'q-55d2' } },
};

test('credentials round-trip through one sealed value that holds none of them in clear', () => {
  const sealed = sealCredentials(secrets, credentials, binding);
  assert.ok(sealed !== null);
  for (const secret of ['tok-7c1e', 'key-90ab', 'q-55d2', 'X-Api-Key']) assert.ok(!sealed.includes(secret));
  assert.deepEqual(openCredentials(secrets, sealed, binding), credentials);
});

test('nothing secret means nothing stored', () => {
  assert.equal(sealCredentials(secrets, {}, binding), null);
  assert.equal(sealCredentials(secrets, { token: undefined, headers: {}, auth: undefined }, binding), null);
  assert.deepEqual(openCredentials(secrets, null, binding), {});
});

test('redaction keeps the names and says a value is set, never what it is', () => {
  assert.deepEqual(redactCredentials(credentials), {
    token: '[set]',
    headers: { 'X-Api-Key': '[set]' },
    auth: { type: 'query', fields: { api_key: '[set]' } },
  });
  assert.deepEqual(redactCredentials({}), { token: null, headers: {}, auth: null });
});
