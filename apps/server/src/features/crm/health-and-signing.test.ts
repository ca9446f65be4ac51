import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { CrmEndpointType } from '@parley/contract';
import { crmEndpoints } from '../../db/schema.ts';
import { assertNoSecrets, directTools, type DirectTools } from '../../../test/helpers/direct-tools.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { crmTools, getRequestSigningSecret } from './index.ts';

const CRM_URL = 'http://127.0.0.1:9/crm';

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp();
});
after(() => testApp.close());

async function newShop(): Promise<{ shopId: string; tools: DirectTools }> {
  const { shopId } = await testApp.createShop();
  return { shopId, tools: directTools(crmTools, testApp.deps, shopId) };
}

async function addEndpoints(tools: DirectTools, ...types: CrmEndpointType[]) {
  for (const type of types) {
    await tools.apply('update_crm_endpoints', { add_crm_endpoint: { type, url: CRM_URL } });
  }
}

/** What the CRM connector records after failed calls. */
async function recordFailures(shopId: string, type: CrmEndpointType, count: number, disabled: boolean) {
  const at = testApp.clock.now();
  await testApp.deps.db
    .update(crmEndpoints)
    .set({
      consecutiveErrors: count,
      lastError: 'HTTP_500: the CRM answered 500',
      lastErrorAt: at,
      enabled: !disabled,
      disabledAt: disabled ? at : null,
    })
    .where(and(eq(crmEndpoints.shopId, shopId), eq(crmEndpoints.type, type)));
}

describe('request signing secret', () => {
  test('get_crm_endpoints shows the shop signing secret and how calls are signed', async () => {
    const { shopId, tools } = await newShop();
    const listed = await tools.run('get_crm_endpoints');
    const secret = await getRequestSigningSecret(testApp.deps, shopId);
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.equal(listed.request_signing_secret, secret);
    assert.match(String(listed.signature_scheme), /X-Parley-Signature/);

    const other = await newShop();
    assert.notEqual(await getRequestSigningSecret(testApp.deps, other.shopId), secret);
  });

  test('rotation previews without revealing or changing the secret, then shows the new one once', async () => {
    const { shopId, tools } = await newShop();
    const old = await getRequestSigningSecret(testApp.deps, shopId);
    const other = await newShop();
    const otherSecret = await getRequestSigningSecret(testApp.deps, other.shopId);

    const preview = await tools.preview('rotate_request_signing_secret');
    assertNoSecrets(preview, [old]);
    assert.deepEqual(preview.before, { request_signing_secret: '[set]' });
    assert.match(preview.consequence, /refuses them until it is given the new secret/);
    assert.equal(await getRequestSigningSecret(testApp.deps, shopId), old, 'a preview must not rotate');

    const result = await tools.apply('rotate_request_signing_secret');
    const rotated = await getRequestSigningSecret(testApp.deps, shopId);
    assert.notEqual(rotated, old);
    assert.equal(result.request_signing_secret, rotated);
    assertNoSecrets(result, [old]);
    assert.equal(
      await getRequestSigningSecret(testApp.deps, other.shopId),
      otherSecret,
      'only this shop rotates',
    );

    const next = await tools.preview('rotate_request_signing_secret');
    assert.notDeepEqual(next.hidden, preview.hidden, 'a rotation makes earlier previews stale');
    assertNoSecrets(next, [rotated]);
  });
});

describe('health', () => {
  test('get_crm_health_status reports each endpoint, with no latency before any call', async () => {
    const { shopId, tools } = await newShop();
    await addEndpoints(tools, 'sidePanel_CustomerInfo', 'globalSearch', 'search_Products');
    await recordFailures(shopId, 'globalSearch', 2, false);
    await recordFailures(shopId, 'search_Products', 5, true);

    const health = (await tools.run('get_crm_health_status')) as {
      endpoints: Array<Record<string, unknown>>;
      not_configured: string[];
    };
    const at = testApp.clock.now().toISOString();
    assert.deepEqual(
      health.endpoints.map(({ type, status, enabled, consecutive_errors }) => ({
        type,
        status,
        enabled,
        consecutive_errors,
      })),
      [
        { type: 'sidePanel_CustomerInfo', status: 'no calls yet', enabled: true, consecutive_errors: 0 },
        { type: 'search_Products', status: 'disabled', enabled: false, consecutive_errors: 5 },
        { type: 'globalSearch', status: 'failing', enabled: true, consecutive_errors: 2 },
      ],
    );
    const disabled = health.endpoints[1];
    assert.equal(disabled?.last_error, 'HTTP_500: the CRM answered 500');
    assert.equal(disabled?.last_error_at, at);
    assert.equal(disabled?.disabled_at, at);
    assert.equal(disabled?.last_success_at, null);
    assert.equal(disabled?.next_probe_at, new Date(testApp.clock.now().getTime() + 60_000).toISOString());
    assert.deepEqual(disabled?.latency, {
      p50_ms: null,
      p95_ms: null,
      calls: 0,
      scope: 'the last 200 calls made by this server process',
    });
    assert.deepEqual(health.not_configured, [
      'ai_CustomerInitialInfo',
      'sidePanel_CustomerFindToJoin',
      'verify_conversion',
    ]);
  });

  test('reset_crm_errors previews which endpoints it re-enables, then resets only those', async () => {
    const { shopId, tools } = await newShop();
    await addEndpoints(tools, 'sidePanel_CustomerInfo', 'globalSearch', 'search_Products');
    await recordFailures(shopId, 'globalSearch', 2, false);
    await recordFailures(shopId, 'search_Products', 5, true);
    const other = await newShop();
    await addEndpoints(other.tools, 'search_Products');
    await recordFailures(other.shopId, 'search_Products', 5, true);

    const preview = await tools.preview('reset_crm_errors');
    assert.equal(preview.summary, 're-enable and zero the error counters of: search_Products, globalSearch');
    assert.deepEqual(preview.before, {
      search_Products: { enabled: false, consecutive_errors: 5 },
      globalSearch: { enabled: true, consecutive_errors: 2 },
    });
    assert.deepEqual(preview.after, {
      search_Products: { enabled: true, consecutive_errors: 0 },
      globalSearch: { enabled: true, consecutive_errors: 0 },
    });
    const unchanged = (await tools.run('get_crm_health_status')) as {
      endpoints: Array<{ enabled: boolean }>;
    };
    assert.equal(
      unchanged.endpoints.filter((endpoint) => !endpoint.enabled).length,
      1,
      'a preview must not reset',
    );

    const result = await tools.apply('reset_crm_errors');
    assert.deepEqual(result.reset, ['globalSearch', 'search_Products']);
    const health = (await tools.run('get_crm_health_status')) as {
      endpoints: Array<Record<string, unknown>>;
    };
    for (const endpoint of health.endpoints) {
      assert.equal(endpoint.enabled, true);
      assert.equal(endpoint.consecutive_errors, 0);
      assert.equal(endpoint.disabled_at, null);
    }
    assert.equal(
      health.endpoints.find((endpoint) => endpoint.type === 'search_Products')?.last_error,
      'HTTP_500: the CRM answered 500',
      'the last error stays as history',
    );

    const otherHealth = (await other.tools.run('get_crm_health_status')) as {
      endpoints: Array<{ enabled: boolean }>;
    };
    assert.equal(otherHealth.endpoints[0]?.enabled, false, "another shop's endpoints are left alone");

    const again = await tools.preview('reset_crm_errors');
    assert.match(again.summary, /^nothing to reset/);
    assert.deepEqual(again.after, {});
  });
});
