// The demo shop sees a customer right away: the runtime runs the demo CRM in-process, lets the
// outbound policy reach exactly its address, and points the demo shop's six endpoints at it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { crmEndpointDefinition, crmEndpointTypes } from '@parley/contract';
import { loadConfig } from '../src/config.ts';
import { applyCrmEndpointChange, callCrmEndpoint, listCrmEndpoints } from '../src/features/crm/index.ts';
import { findDemoShopId } from '../src/features/shops/index.ts';
import { OutboundError } from '../src/lib/outbound/index.ts';
import { startRuntime, type Runtime, type RuntimeOptions } from '../src/runtime.ts';

const dataDirs: string[] = [];
after(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-demo-'));
  dataDirs.push(dir);
  return dir;
}

const start = (dataDir: string, env: Record<string, string> = {}, options: RuntimeOptions = {}) =>
  startRuntime(
    loadConfig({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_DEMO_CRM_PORT: '0',
      PARLEY_LOG_LEVEL: 'silent',
      ...env,
    }),
    options,
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

const LUCIA = '+34655123987';

/** What the side panel shows for Lucía's chat: the panel API, the connector, the demo CRM. */
async function panelLookup(runtime: Runtime, token: string) {
  const response = await runtime.app.inject({
    method: 'GET',
    url: `/api/panel/customer?phone=${encodeURIComponent(LUCIA)}`,
    headers: { authorization: `Bearer ${token}` },
  });
  return response.json<{ status: string; customers: Array<{ name: string }> }>();
}

/** The connector's call, signed with the shop's secret, through the outbound client and its policy. */
async function connectorLookup(runtime: Runtime, shopId: string) {
  const outcome = await callCrmEndpoint(runtime.deps, shopId, 'sidePanel_CustomerInfo', { phone: LUCIA });
  assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
  return outcome.status === 'ok' ? outcome.answer.customers.map((customer) => customer.name) : [];
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

      const token = runtime.firstStart?.demoShop?.token ?? '';
      const shown = await panelLookup(runtime, token);
      assert.equal(shown.status, 'found', JSON.stringify(shown));
      assert.deepEqual(
        shown.customers.map((customer) => customer.name),
        ['Lucía Fernández Ortega'],
      );
      // It verifies the signature with the demo shop's secret: the same call unsigned is refused.
      const unsigned = await runtime.deps.outbound.request({
        url: `${crmUrl}/crm/sidePanel_CustomerInfo?phone=${encodeURIComponent(LUCIA)}`,
        method: 'GET',
      });
      assert.equal(unsigned.status, 401);
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
      assert.deepEqual(await connectorLookup(third, shopId), ['Lucía Fernández Ortega']);
    } finally {
      await third.close();
    }
  });

  test('its port in use: the server starts without it, allows nothing, and the log says how to fix it', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    const logs: string[] = [];
    const runtime = await start(
      dataDir,
      { PARLEY_DEMO_CRM_PORT: String(port), PARLEY_LOG_LEVEL: 'warn' },
      { logDestination: { write: (line: string) => logs.push(line) } },
    );
    try {
      assert.equal(runtime.demoCrmUrl, undefined);
      assert.match(
        logs.join(''),
        new RegExp(`Demo CRM not started: 127\\.0\\.0\\.1:${port} is in use.*PARLEY_DEMO_CRM_PORT`),
      );
      await assertBlocked(runtime, `http://127.0.0.1:${port}/crm/sidePanel_CustomerInfo`);
    } finally {
      await runtime.close();
      squatter.close();
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
