/**
 * The runtime on a real data dir: the in-process demo CRM logs request paths without their query
 * strings (which carry phones and, for `auth: query` CRMs, tokens), and a data dir written by an
 * older version (sealed secrets in the unbound `v1` format) is upgraded at start, after which the
 * demo shop's signed CRM calls work as before.
 */
import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { eq, like } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openPglite } from '../src/db/database.ts';
import { crmEndpoints, serverMeta, shops } from '../src/db/schema.ts';
import { callCrmEndpoint } from '../src/features/crm/index.ts';
import { SEALED_FORMAT_KEY } from '../src/features/sealed-secrets/index.ts';
import { boundTo, createSecretBox, loadOrCreateSecretKey } from '../src/lib/secret-box.ts';
import { startRuntime } from '../src/runtime.ts';
import { sealV1 } from './helpers/legacy-seal.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-upgrade-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const LUCIA = '+34655123987';
const FOREIGN_TOKEN = 'another-shops-crm-token-7f3a';

/** JSON log lines, and a way to wait for one (no timers). */
function capturedLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ match: (line: Record<string, unknown>) => boolean; resolve: () => void }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString('utf8')) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      done();
    },
  });
  const waitFor = (match: (line: Record<string, unknown>) => boolean) =>
    lines.some(match) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ match, resolve }));
  return { lines, destination, waitFor };
}

const start = (logDestination: Writable) =>
  startRuntime(
    loadConfig({ PARLEY_DATA_DIR: dataDir, PARLEY_DEMO_CRM_PORT: '0', PARLEY_LOG_LEVEL: 'debug' }),
    { logDestination },
  );

let demoShopId = '';

test('the demo CRM logs the path of a request, never its query string', async () => {
  const logs = capturedLogs();
  const runtime = await start(logs.destination);
  try {
    demoShopId = runtime.firstStart?.demoShop?.id ?? '';
    assert.notEqual(demoShopId, '');
    const response = await fetch(
      `${runtime.demoCrmUrl}/crm/sidePanel_CustomerInfo?phone=${encodeURIComponent(LUCIA)}&token=${FOREIGN_TOKEN}`,
    );
    await response.arrayBuffer();
    await logs.waitFor((line) => line.msg === 'demo CRM request');
    const entry = logs.lines.find((line) => line.msg === 'demo CRM request');
    assert.equal(entry?.path, '/crm/sidePanel_CustomerInfo');
    assert.equal(entry?.status, response.status);
    const everything = JSON.stringify(logs.lines);
    assert.ok(!everything.includes(FOREIGN_TOKEN), 'the token is in no log line');
    assert.ok(!everything.includes('34655123987'), 'nor the phone');
  } finally {
    await runtime.close();
  }
});

test('a data dir with old unbound secrets is resealed at start, and signed CRM calls work', async () => {
  // What an older version left: the same secrets, sealed as v1 (no additional data), no marker.
  const { key } = loadOrCreateSecretKey(undefined, dataDir);
  // The runtime's derivation of the secrets key (runtime.ts), repeated to write what it would read.
  const secretsKey = createHmac('sha256', key).update('parley secrets v1').digest();
  const current = createSecretBox(secretsKey);
  const database = await openPglite(dataDir);
  try {
    const [shop] = await database.db.select().from(shops).where(eq(shops.id, demoShopId));
    const signing = current.open(
      shop!.requestSigningSecret,
      boundTo(demoShopId, 'shops.request_signing_secret'),
    );
    await database.db
      .update(shops)
      .set({ requestSigningSecret: sealV1(secretsKey, signing) })
      .where(eq(shops.id, demoShopId));
    await database.db.delete(serverMeta).where(eq(serverMeta.key, SEALED_FORMAT_KEY));
  } finally {
    await database.close();
  }

  const logs = capturedLogs();
  const runtime = await start(logs.destination);
  try {
    assert.ok(
      logs.lines.some((line) => line.msg === 'stored secrets resealed, bound to their shop and field'),
    );
    const [shop] = await runtime.deps.db.select().from(shops).where(eq(shops.id, demoShopId));
    assert.match(shop!.requestSigningSecret, /^v2\./);
    assert.deepEqual(
      await runtime.deps.db.select().from(crmEndpoints).where(like(crmEndpoints.credentials, 'v1.%')),
      [],
    );
    // The demo CRM verifies X-Parley-Signature with the resealed secret, opened for its shop.
    const outcome = await callCrmEndpoint(runtime.deps, demoShopId, 'sidePanel_CustomerInfo', {
      phone: LUCIA,
    });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
  } finally {
    await runtime.close();
  }
});
