// Health as real calls write it: error counting, auto-disable, the self-healing probe (moved by the
// manual clock), the throttled success write, and latency percentiles from real calls.
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { CrmEndpointType } from '@parley/contract';
import { directTools, type DirectTools } from '../../../test/helpers/direct-tools.ts';
import { crmNotFoundFixture, startFakeCrm, type FakeCrm } from '../../../test/helpers/fake-crm.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import {
  callCrmEndpoint,
  createCrmProbeJobSource,
  crmTools,
  getRequestSigningSecret,
  probeDisabledCrmEndpoints,
  type CrmCallOutcome,
} from './index.ts';
import { percentile } from './latency.ts';

let testApp: TestApp;
let crm: FakeCrm;
before(async () => {
  [testApp, crm] = await Promise.all([startTestApp(), startFakeCrm()]);
});
after(async () => {
  await crm.close();
  await testApp.close();
});

const failing = { status: 503, body: 'CRM down for maintenance' };
const now = () => testApp.clock.now();
const iso = (date: Date) => date.toISOString();

interface Endpoint {
  shopId: string;
  tools: DirectTools;
  /** Its own path on the fake CRM, so other tests' calls never mix in. */
  path: string;
  call(): Promise<CrmCallOutcome<CrmEndpointType>>;
  health(): Promise<Record<string, unknown>>;
  /** Requests the fake CRM received for this endpoint. */
  requests(): typeof crm.requests;
}

async function endpoint(type: CrmEndpointType = 'sidePanel_CustomerInfo'): Promise<Endpoint> {
  const { shopId } = await testApp.createShop();
  const tools = directTools(crmTools, testApp.deps, shopId);
  const path = `/crm/${randomUUID()}`;
  crm.answer(path, failing);
  await tools.apply('update_crm_endpoints', { add_crm_endpoint: { type, url: crm.url(path) } });
  return {
    shopId,
    tools,
    path,
    call: () => callCrmEndpoint(testApp.deps, shopId, type, { phone: '+34655123987', query: 'x' }),
    health: async () => {
      const status = (await tools.run('get_crm_health_status')) as {
        endpoints: Array<Record<string, unknown>>;
      };
      return status.endpoints.find((entry) => entry.type === type) ?? assert.fail('endpoint not listed');
    },
    requests: () => crm.requests.filter((request) => request.path === path),
  };
}

async function failTimes(target: Endpoint, times: number) {
  for (let i = 0; i < times; i++) assert.equal((await target.call()).status, 'error');
}

/** Probes what is due and keeps the results of this endpoint's shop (other tests' endpoints may be due too). */
const probe = async (target: Endpoint) =>
  (await probeDisabledCrmEndpoints(testApp.deps)).filter((result) => result.shopId === target.shopId);

test('errors count up, a success resets them, the 5th in a row disables the endpoint and stops calls', async () => {
  const target = await endpoint();
  await failTimes(target, 4);
  let health = await target.health();
  assert.equal(health.status, 'failing');
  assert.equal(health.enabled, true);
  assert.equal(health.consecutive_errors, 4);
  assert.match(
    String(health.last_error),
    /^HTTP_STATUS: The CRM answered HTTP 503; .*"CRM down for maintenance"$/,
  );
  assert.equal(health.last_error_at, iso(now()));

  crm.answer(target.path, { json: crmNotFoundFixture });
  assert.equal((await target.call()).status, 'ok');
  health = await target.health();
  assert.deepEqual([health.status, health.consecutive_errors, health.last_success_at], ['ok', 0, iso(now())]);

  crm.answer(target.path, failing);
  testApp.clock.advance(60_000);
  await failTimes(target, 5);
  health = await target.health();
  assert.deepEqual(
    [health.status, health.enabled, health.consecutive_errors, health.disabled_at],
    ['disabled', false, 5, iso(now())],
  );
  assert.equal(health.next_probe_at, iso(new Date(now().getTime() + 60_000)));

  const seen = target.requests().length;
  const outcome = await target.call();
  assert.equal(outcome.status, 'disabled');
  assert.ok(outcome.status === 'disabled');
  assert.equal(outcome.error.code, 'ENDPOINT_DISABLED');
  assert.match(
    outcome.error.message,
    /after 5 consecutive errors \(last: HTTP_STATUS: .*\)\. .*reset_crm_errors/,
  );
  assert.equal(target.requests().length, seen, 'a disabled endpoint is not called');
});

test('concurrent failures are each counted once and disable the endpoint once', async () => {
  const target = await endpoint();
  const outcomes = await Promise.all(Array.from({ length: 7 }, () => target.call()));
  assert.deepEqual(new Set(outcomes.map((outcome) => outcome.status)), new Set(['error']));
  const health = await target.health();
  assert.deepEqual([health.enabled, health.consecutive_errors, health.disabled_at], [false, 7, iso(now())]);
});

test('the probe waits for its schedule, then re-enables an endpoint that answers well (found: false is fine)', async () => {
  const target = await endpoint();
  await failTimes(target, 5);
  const disabledAt = now();
  crm.answer(target.path, { json: crmNotFoundFixture });
  assert.deepEqual(
    await createCrmProbeJobSource(testApp.deps).nextDueAt(),
    new Date(disabledAt.getTime() + 60_000),
  );

  testApp.clock.advance(59_000);
  const seen = target.requests().length;
  assert.deepEqual(await probe(target), []);
  assert.equal(target.requests().length, seen, 'not probed before its time');

  testApp.clock.advance(1_000);
  crm.verifySignatures({ secret: await getRequestSigningSecret(testApp.deps, target.shopId), now });
  assert.deepEqual(await probe(target), [
    { shopId: target.shopId, type: 'sidePanel_CustomerInfo', reenabled: true },
  ]);
  const [request, ...more] = target.requests().slice(seen);
  assert.equal(more.length, 0);
  assert.equal(request?.query.get('phone'), '+34600000000', 'a harmless phone');
  assert.equal(request?.signature?.ok, true, 'probes are signed like any call');

  const health = await target.health();
  assert.deepEqual(
    [
      health.status,
      health.enabled,
      health.consecutive_errors,
      health.disabled_at,
      health.last_probe_at,
      health.last_success_at,
    ],
    ['ok', true, 0, null, iso(now()), iso(now())],
  );
  assert.equal((await target.call()).status, 'ok');
});

test('a failing probe records its error, keeps the endpoint disabled and backs off (1, 5, 15 min)', async () => {
  const target = await endpoint('globalSearch');
  await failTimes(target, 5);
  testApp.clock.advance(60_000);
  crm.answer(target.path, { status: 500, json: { error: 'still broken' } });
  assert.deepEqual(await probe(target), [
    { shopId: target.shopId, type: 'globalSearch', reenabled: false, error: 'HTTP_STATUS' },
  ]);
  assert.equal(target.requests().at(-1)?.query.get('query'), 'test', 'search types are probed with "test"');
  const health = await target.health();
  assert.deepEqual([health.enabled, health.consecutive_errors, health.last_probe_at], [false, 6, iso(now())]);
  assert.match(String(health.last_error), /HTTP 500/);

  testApp.clock.advance(5 * 60_000 - 1_000);
  assert.deepEqual(await probe(target), []);
  testApp.clock.advance(1_000);
  assert.equal((await probe(target)).length, 1);
  testApp.clock.advance(15 * 60_000 - 1_000);
  assert.deepEqual(await probe(target), []);
  testApp.clock.advance(1_000);
  assert.equal((await probe(target)).length, 1);
});

test('reset_crm_errors re-enables an endpoint the connector disabled, and calls resume', async () => {
  const target = await endpoint();
  await failTimes(target, 5);
  crm.answer(target.path, { json: crmNotFoundFixture });
  await target.tools.apply('reset_crm_errors');
  assert.equal((await target.call()).status, 'ok');
  assert.equal((await target.health()).status, 'ok');
});

test('a success is written at most every 30 s, so the hot path does not write per call', async () => {
  const target = await endpoint();
  crm.answer(target.path, { json: crmNotFoundFixture });
  const first = now();
  await target.call();
  testApp.clock.advance(29_000);
  await target.call();
  assert.equal((await target.health()).last_success_at, iso(first));
  testApp.clock.advance(1_000);
  await target.call();
  assert.equal((await target.health()).last_success_at, iso(now()));
});

test('latency p50/p95 come from the real calls of this endpoint, errors included', async () => {
  const target = await endpoint();
  crm.answer(target.path, { json: crmNotFoundFixture });
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    // Four errors: a fifth would disable the endpoint and end the calls.
    if (i === 16) crm.answer(target.path, failing);
    const outcome = await target.call();
    assert.ok(outcome.status === 'ok' || outcome.status === 'error');
    latencies.push(outcome.latencyMs);
  }
  const sorted = latencies.sort((a, b) => a - b);
  const { latency } = await target.health();
  assert.deepEqual(latency, {
    p50_ms: percentile(sorted, 50),
    p95_ms: percentile(sorted, 95),
    calls: 20,
    scope: 'the last 200 calls made by this server process',
  });
});
