/**
 * The upgrade of sealed secrets to the bound format (features/sealed-secrets/reseal.ts). The rows an
 * older version left are made here the way it made them: configured through the tools, then every
 * sealed column rewritten as a `v1` value (AES-GCM without additional data) of the same secret.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../src/db/database.ts';
import { serverMeta, shops } from '../src/db/schema.ts';
import { getCrmEndpointForCall, getRequestSigningSecret } from '../src/features/crm/index.ts';
import { resealSecrets, SEALED_FORMAT_KEY } from '../src/features/sealed-secrets/index.ts';
import { createLogger } from '../src/lib/logger.ts';
import { boundTo, createSecretBox, type SealedField, type SecretBox } from '../src/lib/secret-box.ts';
import { sealV1 } from './helpers/legacy-seal.ts';
import { callTool } from './helpers/mcp.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/** Every sealed column: table, the column, and the column naming the row's shop. */
const sealedColumns: Array<{ field: SealedField; table: string; column: string; shop: string }> = [
  { field: 'shops.request_signing_secret', table: 'shops', column: 'request_signing_secret', shop: 'id' },
  { field: 'webhook_configs.secret', table: 'webhook_configs', column: 'secret', shop: 'shop_id' },
  { field: 'crm_endpoints.credentials', table: 'crm_endpoints', column: 'credentials', shop: 'shop_id' },
  {
    field: 'custom_functions.credentials',
    table: 'custom_functions',
    column: 'credentials',
    shop: 'shop_id',
  },
  { field: 'ai_settings.api_key', table: 'ai_settings', column: 'api_key', shop: 'shop_id' },
];

let t: TestApp;
const legacyKey = randomBytes(32);
/** The box of the upgraded server: the same key the old rows were sealed with. */
const upgraded: SecretBox = createSecretBox(legacyKey);
const deps = () => ({ db: t.deps.db, secrets: upgraded, logger: createLogger('silent') });
/** What each shop's secrets are in clear, per field. */
const plaintexts = new Map<string, Map<SealedField, string>>();

async function sealedRows(field: SealedField) {
  const { table, column, shop } = sealedColumns.find((c) => c.field === field)!;
  return queryRows<{ shop_id: string; value: string }>(
    t.deps.db,
    sql`select ${sql.identifier(shop)} as shop_id, ${sql.identifier(column)} as value from ${sql.identifier(table)}
        where ${sql.identifier(column)} is not null order by 1`,
  );
}

/** Rewrites every sealed value as the old version stored it: v1, under `key`, bound to nothing. */
async function downgradeEverySecret(key: Buffer) {
  for (const { field, table, column, shop } of sealedColumns) {
    for (const row of await sealedRows(field)) {
      const plaintext = t.deps.secrets.open(row.value, boundTo(row.shop_id, field));
      if (!plaintexts.has(row.shop_id)) plaintexts.set(row.shop_id, new Map());
      plaintexts.get(row.shop_id)!.set(field, plaintext);
      await t.deps.db.execute(
        sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${sealV1(key, plaintext)}
            where ${sql.identifier(shop)} = ${row.shop_id}`,
      );
    }
  }
}

async function configureEverySecret(token: string) {
  const calls: Array<[string, Record<string, unknown>]> = [
    [
      'configure_webhooks',
      {
        webhook_enabled: true,
        webhook_url: 'http://127.0.0.1:9/hook',
        webhook_events: ['phone.detected'],
        webhook_secret: `whsec_${randomBytes(8).toString('hex')}`,
      },
    ],
    [
      'update_crm_endpoints',
      {
        add_crm_endpoint: {
          type: 'ai_CustomerInitialInfo',
          url: 'http://127.0.0.1:9/crm',
          token: `crm-${randomBytes(6).toString('hex')}`,
        },
      },
    ],
    [
      'update_custom_functions',
      {
        add_function: {
          name: 'order_status',
          description: 'Order status',
          parameters: { type: 'object', properties: {} },
          endpoint: 'http://127.0.0.1:9/fn',
          headers: { 'X-Api-Key': `fn-${randomBytes(6).toString('hex')}` },
        },
      },
    ],
    ['configure_ai', { api_key: `sk-${randomBytes(6).toString('hex')}` }],
  ];
  for (const [name, args] of calls) {
    const result = await callTool(t.app, token, name, { ...args, confirm: true });
    assert.notEqual(result.isError, true, `${name}: ${JSON.stringify(result.content)}`);
  }
}

let shopA: string;
let shopB: string;

before(async () => {
  t = await startTestApp({ PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
  const a = await t.createShop('Shop A');
  const b = await t.createShop('Shop B');
  [shopA, shopB] = [a.shopId, b.shopId];
  await configureEverySecret(a.token);
  await configureEverySecret(b.token);
  await downgradeEverySecret(legacyKey);
});
after(() => t.close());

test('an upgrade reseals every old-format secret, bound to its shop and field, and the features open them', async () => {
  const report = await resealSecrets(deps());
  assert.deepEqual(report, { ran: true, resealed: 2 * sealedColumns.length, unreadable: 0 });
  for (const { field } of sealedColumns) {
    const rows = await sealedRows(field);
    assert.equal(rows.length, 2, field);
    for (const row of rows) {
      assert.match(row.value, /^v2\./, field);
      assert.equal(
        upgraded.open(row.value, boundTo(row.shop_id, field)),
        plaintexts.get(row.shop_id)?.get(field),
      );
    }
  }
  // Through the features, as a CRM call would open them.
  assert.equal(
    await getRequestSigningSecret(deps(), shopA),
    plaintexts.get(shopA)?.get('shops.request_signing_secret'),
  );
  const endpoint = await getCrmEndpointForCall(deps(), shopB, 'ai_CustomerInitialInfo');
  assert.equal(
    JSON.stringify(endpoint?.credentials),
    plaintexts.get(shopB)?.get('crm_endpoints.credentials'),
  );
  const [marker] = await t.deps.db.select().from(serverMeta).where(eq(serverMeta.key, SEALED_FORMAT_KEY));
  assert.equal(marker?.value, 'v2');
});

test('later starts read the marker and touch nothing; without it, the step changes nothing already bound', async () => {
  const before = await sealedRows('crm_endpoints.credentials');
  assert.deepEqual(await resealSecrets(deps()), { ran: false, resealed: 0, unreadable: 0 });
  await t.deps.db.delete(serverMeta).where(eq(serverMeta.key, SEALED_FORMAT_KEY));
  assert.deepEqual(await resealSecrets(deps()), { ran: true, resealed: 0, unreadable: 0 });
  assert.deepEqual(await sealedRows('crm_endpoints.credentials'), before);
});

test("a secret copied into another shop's row does not open there", async () => {
  const [a] = await t.deps.db.select().from(shops).where(eq(shops.id, shopA));
  await t.deps.db
    .update(shops)
    .set({ requestSigningSecret: a!.requestSigningSecret })
    .where(eq(shops.id, shopB));
  await assert.rejects(getRequestSigningSecret(deps(), shopB), /copied from another shop or field/);
});

test('a value sealed under another key is reported and keeps the upgrade pending', async () => {
  await t.deps.db.delete(serverMeta).where(eq(serverMeta.key, SEALED_FORMAT_KEY));
  await t.deps.db
    .update(shops)
    .set({ requestSigningSecret: sealV1(randomBytes(32), 'other key') })
    .where(eq(shops.id, shopB));
  assert.deepEqual(await resealSecrets(deps()), { ran: true, resealed: 0, unreadable: 1 });
  const [marker] = await t.deps.db.select().from(serverMeta).where(eq(serverMeta.key, SEALED_FORMAT_KEY));
  assert.equal(marker, undefined);
});
