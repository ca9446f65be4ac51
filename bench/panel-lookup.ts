/**
 * Side-panel lookups (SPEC §5) against a fake CRM that answers in a fixed 5 ms on loopback, all in one
 * run: the panel API with the cache off (refresh=1, a new phone each time) against calls straight to
 * the fake CRM at the same concurrency, so the ratio and the added p50 are what Parley costs; then
 * cache-hit throughput; then 100 concurrent lookups of one uncached phone, which must reach the CRM once.
 * Run from the repo root: node --import tsx bench/panel-lookup.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { crmEndpointDefinition } from '../packages/contract/src/index.ts';
import customer from '../packages/contract/src/crm/fixtures/sidePanel_CustomerInfo.full.json' with { type: 'json' };
import { loadConfig } from '../apps/server/src/config.ts';
import { applyCrmEndpointChange } from '../apps/server/src/features/crm/index.ts';
import { startRuntime } from '../apps/server/src/runtime.ts';
import { measureConcurrent, ms } from './lib/stats.ts';

const CRM_DELAY_MS = 5;
/** The panel's per-shop cap on concurrent CRM calls: beyond it lookups queue by design. */
const CONCURRENCY = 8;
const UNCACHED_LOOKUPS = 2_000;
const HIT_CONCURRENCY = 32;
const HIT_LOOKUPS = 20_000;
const COALESCED = 100;

/** The fake CRM: the reference customer after a fixed delay, and a count of calls per phone. */
async function startFakeCrm() {
  const body = JSON.stringify(customer);
  const callsByPhone = new Map<string, number>();
  const server = createServer((req, res) => {
    const phone = new URL(req.url ?? '/', 'http://crm').searchParams.get('phone') ?? '';
    callsByPhone.set(phone, (callsByPhone.get(phone) ?? 0) + 1);
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), CRM_DELAY_MS);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/crm/customer`,
    callsFor: (phone: string) => callsByPhone.get(phone) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Distinct valid Spanish mobile numbers, so every uncached lookup is a new phone. */
const phoneNumber = (i: number) => `+346${String(i).padStart(8, '0')}`;

const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-panel-'));
const crm = await startFakeCrm();
const runtime = await startRuntime(
  loadConfig({
    PARLEY_DATA_DIR: dataDir,
    PARLEY_LOG_LEVEL: 'silent',
    PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
  }),
);
const agent = new Agent({ connections: HIT_CONCURRENCY, keepAliveTimeout: 60_000, pipelining: 1 });
try {
  const demo = runtime.firstStart?.demoShop;
  if (demo === undefined) throw new Error('the fresh data dir should have created the demo shop');
  await applyCrmEndpointChange(runtime.deps, demo.id, {
    add: crmEndpointDefinition.parse({ type: 'sidePanel_CustomerInfo', url: crm.url }),
  });
  const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const headers = { authorization: `Bearer ${demo.token}` };

  const lookup = async (query: string) => {
    const response = await request(`${base}/api/panel/customer?${query}`, { dispatcher: agent, headers });
    const text = await response.body.text();
    if (response.statusCode !== 200 || !text.includes('"status":"found"')) {
      throw new Error(`lookup answered ${response.statusCode}: ${text.slice(0, 300)}`);
    }
  };
  const direct = async (phone: string) => {
    const response = await request(`${crm.url}?phone=${encodeURIComponent(phone)}&relatedphones=`, {
      dispatcher: agent,
    });
    await response.body.json();
  };

  const at = (concurrency: number, total: number, send: (i: number) => Promise<void>) =>
    measureConcurrent(send, { total, concurrency });

  // Warm-up: JIT, connections, the endpoint row in the database's buffers.
  await at(CONCURRENCY, 300, (i) => direct(phoneNumber(900_000 + i)));
  await at(CONCURRENCY, 300, (i) => lookup(`phone=${phoneNumber(800_000 + i)}&refresh=1`));

  const baseline = await at(CONCURRENCY, UNCACHED_LOOKUPS, (i) => direct(phoneNumber(i)));
  const uncached = await at(CONCURRENCY, UNCACHED_LOOKUPS, (i) =>
    lookup(`phone=${phoneNumber(100_000 + i)}&refresh=1`),
  );

  // A few hundred chats open at once, each already in the cache.
  const hotPhones = Array.from({ length: 200 }, (_, i) => phoneNumber(200_000 + i));
  await at(CONCURRENCY, hotPhones.length, (i) => lookup(`phone=${hotPhones[i]}`));
  const hits = await at(HIT_CONCURRENCY, HIT_LOOKUPS, (i) =>
    lookup(`phone=${hotPhones[i % hotPhones.length]}`),
  );

  const lonely = phoneNumber(300_000);
  await Promise.all(Array.from({ length: COALESCED }, () => lookup(`phone=${lonely}`)));
  const coalescedCalls = crm.callsFor(lonely);

  const rate = (run: { perSecond: number }) => `${Math.round(run.perSecond).toLocaleString('en')}/s`;
  const addedP50 = uncached.p50 - baseline.p50;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const lines = [
    `Panel lookups, fake CRM answering in ${CRM_DELAY_MS} ms on loopback (${runtime.deps.databaseKind})`,
    `direct to the fake CRM    c=${CONCURRENCY}  ${rate(baseline)}  p50 ${ms(baseline.p50)}  p99 ${ms(baseline.p99)}  (baseline)`,
    `panel, cache off          c=${CONCURRENCY}  ${rate(uncached)}  p50 ${ms(uncached.p50)}  p99 ${ms(uncached.p99)}`,
    `overhead ratio            p50 ${(uncached.p50 / baseline.p50).toFixed(2)}x  p99 ${(uncached.p99 / baseline.p99).toFixed(2)}x  throughput ${(baseline.perSecond / uncached.perSecond).toFixed(2)}x`,
    `added p50                 ${ms(addedP50)}  (target <= 2 ms: ${verdict(addedP50 <= 2)})`,
    `panel, cache hits         c=${HIT_CONCURRENCY} ${rate(hits)}  p50 ${ms(hits.p50)}  p99 ${ms(hits.p99)}  (target >= 5,000/s: ${verdict(hits.perSecond >= 5_000)})`,
    `${COALESCED} concurrent lookups of one uncached phone -> ${coalescedCalls} CRM call(s)  (target 1: ${verdict(coalescedCalls === 1)})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await agent.close();
  await runtime.close();
  await crm.close();
  rmSync(dataDir, { recursive: true, force: true });
}
