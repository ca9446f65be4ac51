// The demo shop sees a customer right away: the runtime runs the demo CRM in-process, lets the
// outbound policy reach exactly its address, and points the demo shop's six endpoints at it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { crmEndpointDefinition, crmEndpointTypes, parseCrmAnswer } from '@parley/contract';
import { signCrmRequest } from '@parley/webhooks';
import { loadConfig } from '../src/config.ts';
import {
  applyCrmEndpointChange,
  getRequestSigningSecret,
  listCrmEndpoints,
} from '../src/features/crm/index.ts';
import { findDemoShopId } from '../src/features/shops/index.ts';
import { OutboundError } from '../src/lib/outbound/index.ts';
import { startRuntime, type Runtime } from '../src/runtime.ts';

const dataDirs: string[] = [];
after(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-demo-'));
  dataDirs.push(dir);
  return dir;
}

const start = (dataDir: string, env: Record<string, string> = {}) =>
  startRuntime(
    loadConfig({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_DEMO_CRM_PORT: '0',
      PARLEY_LOG_LEVEL: 'silent',
      ...env,
    }),
  );

function demoOf(runtime: Runtime): { shopId: string; crmUrl: string } {
  const shopId = runtime.firstStart?.demoShop?.id;
  assert.ok(shopId !== undefined, 'a fresh data dir gets a demo shop');
  assert.ok(runtime.demoCrmUrl !== undefined, 'the demo CRM runs');
  return { shopId, crmUrl: runtime.demoCrmUrl };
}

const endpointUrls = async (runtime: Runtime, shopId: string) =>
  Object.fromEntries(
    (await listCrmEndpoints(runtime.deps, shopId)).endpoints.map((endpoint) => [endpoint.type, endpoint.url]),
  );

const expectedUrls = (crmUrl: string) =>
  Object.fromEntries(crmEndpointTypes.map((type) => [type, `${crmUrl}/crm/${type}`]));

async function assertBlocked(runtime: Runtime, url: string): Promise<void> {
  await assert.rejects(runtime.deps.outbound.checkUrl(url), (error: unknown) => {
    assert.ok(error instanceof OutboundError);
    assert.equal(error.code, 'BLOCKED_TARGET', error.message);
    return true;
  });
}

/** A call of the demo shop's sidePanel_CustomerInfo endpoint through the outbound client, signed as the connector signs. */
async function lookUpLucia(runtime: Runtime, shopId: string, crmUrl: string, sign: boolean) {
  const target = `/crm/sidePanel_CustomerInfo?phone=%2B34655123987`;
  const secret = await getRequestSigningSecret(runtime.deps, shopId);
  const headers = sign
    ? signCrmRequest({
        secret,
        timestamp: Math.floor(Date.now() / 1000),
        method: 'GET',
        pathAndQuery: target,
        body: '',
      })
    : {};
  const response = await runtime.deps.outbound.request({ url: `${crmUrl}${target}`, method: 'GET', headers });
  return { status: response.status, json: JSON.parse(response.body.toString('utf8')) as unknown };
}

describe('the demo on', { timeout: 120_000 }, () => {
  const dataDir = newDataDir();

  test('first start: the demo CRM runs, only its address is allowed, the six endpoints point to it, Lucía is found', async () => {
    const runtime = await start(dataDir);
    try {
      const { shopId, crmUrl } = demoOf(runtime);
      assert.match(crmUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const port = Number(new URL(crmUrl).port);

      assert.deepEqual(await endpointUrls(runtime, shopId), expectedUrls(crmUrl));
      assert.deepEqual(
        (await listCrmEndpoints(runtime.deps, shopId)).endpoints.map((endpoint) => endpoint.method),
        crmEndpointTypes.map(() => 'GET'),
      );

      await runtime.deps.outbound.checkUrl(`${crmUrl}/crm/sidePanel_CustomerInfo`);
      await assertBlocked(runtime, `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}/crm`);
      await assertBlocked(runtime, `http://127.0.0.2:${port}/crm`);

      const signed = await lookUpLucia(runtime, shopId, crmUrl, true);
      assert.equal(signed.status, 200);
      const parsed = parseCrmAnswer('sidePanel_CustomerInfo', signed.json);
      assert.ok(parsed.ok);
      assert.equal(parsed.value.customers[0]?.name, 'Lucía Fernández Ortega');
      // The demo CRM verifies with the demo shop's own secret: an unsigned call is refused.
      assert.equal((await lookUpLucia(runtime, shopId, crmUrl, false)).status, 401);
    } finally {
      await runtime.close();
    }
  });

  test('a later start runs it again and moves the endpoints still at the old address, not one an admin re-pointed', async () => {
    const elsewhere = 'http://127.0.0.1:9/crm/search';
    const allowElsewhere = { PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1:9' };
    const second = await start(dataDir, allowElsewhere);
    let shopId: string | undefined;
    try {
      assert.equal(second.firstStart, null);
      shopId = await findDemoShopId(second.deps.db);
      assert.ok(shopId !== undefined && second.demoCrmUrl !== undefined);
      assert.deepEqual(await endpointUrls(second, shopId), expectedUrls(second.demoCrmUrl));
      await applyCrmEndpointChange(second.deps, shopId, {
        add: crmEndpointDefinition.parse({ type: 'globalSearch', url: elsewhere }),
      });
    } finally {
      await second.close();
    }

    const third = await start(dataDir, allowElsewhere);
    try {
      assert.ok(third.demoCrmUrl !== undefined);
      assert.deepEqual(await endpointUrls(third, shopId), {
        ...expectedUrls(third.demoCrmUrl),
        globalSearch: elsewhere,
      });
      assert.equal((await lookUpLucia(third, shopId, third.demoCrmUrl, true)).status, 200);
    } finally {
      await third.close();
    }
  });

  test('PARLEY_DISABLE_DEMO=true: no demo CRM for the existing demo shop, and loopback stays refused', async () => {
    const runtime = await start(dataDir, { PARLEY_DISABLE_DEMO: 'true', PARLEY_DEMO_CRM_PORT: '8788' });
    try {
      assert.equal(runtime.demoCrmUrl, undefined);
      await assertBlocked(runtime, 'http://127.0.0.1:8788/crm/sidePanel_CustomerInfo');
    } finally {
      await runtime.close();
    }
  });
});

test(
  'PARLEY_DISABLE_DEMO=true on a fresh data dir: no demo shop, no demo CRM',
  { timeout: 60_000 },
  async () => {
    const runtime = await start(newDataDir(), { PARLEY_DISABLE_DEMO: 'true' });
    try {
      assert.notEqual(runtime.firstStart, null);
      assert.equal(runtime.firstStart?.demoShop, undefined);
      assert.equal(runtime.demoCrmUrl, undefined);
      assert.equal(await findDemoShopId(runtime.deps.db), undefined);
    } finally {
      await runtime.close();
    }
  },
);
