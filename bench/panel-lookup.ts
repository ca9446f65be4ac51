/**
 * Side-panel lookups (docs/side-panel.md#looking-up-a-customer) against a fake CRM that answers in a fixed 5 ms on loopback, all in one
 * run: the panel API with the cache off (refresh=1, a new phone each time) against calls straight to
 * the fake CRM at the same concurrency, so the ratio and the added p50 are what Parley costs; then
 * cache-hit throughput; then 100 concurrent lookups of one uncached phone, which must reach the CRM once.
 * The same lookups through a bare proxy (bench/lib/bare-proxy.ts: no Parley code) show what any extra
 * hop adds on the machine at hand, so the panel's added latency can be told from the machine's.
 * The cache-off run comes first on a fresh server, so its figures include V8 still compiling the
 * path (CPU per lookup keeps falling for ~2,000 lookups): it is printed as what the first minute
 * of a server costs. The same run once more on the now warm server is the steady state of a server
 * that has been up for a while, which is what agents meet all day: the target is judged on it.
 *
 * Parley runs in this thread on PGlite; the HTTP clients and the fake CRM run in worker threads, so
 * their work is not counted as the server's. "server CPU" is this thread's CPU time per lookup
 * (warm-up included): what one lookup costs the server, which stays meaningful when other processes
 * share the machine, as the wall-clock figures do not.
 * Run from the repo root: node --import tsx bench/panel-lookup.ts
 */
import { loadavg } from 'node:os';
import { applyCrmEndpointChange } from '../apps/server/src/features/crm/index.ts';
import { crmEndpointDefinition } from '../packages/contract/src/index.ts';
import { startBareProxy } from './lib/bare-proxy.ts';
import { startFakeCrmWorker } from './lib/fake-crm-worker.ts';
import { runHttpLoad, type HttpLoad, type HttpLoadResult } from './lib/http-load.ts';
import { startParley } from './lib/parley.ts';
import { ms } from './lib/stats.ts';
import { startCpuMeter } from './lib/thread-cpu.ts';

const CRM_DELAY_MS = 5;
/** The panel's per-shop cap on concurrent CRM calls: beyond it lookups queue by design. */
const CONCURRENCY = 8;
const UNCACHED_LOOKUPS = 2_000;
const HIT_CONCURRENCY = 32;
const HIT_LOOKUPS = 30_000;
const WARMUP = 300;
const COALESCED = 100;

/** Distinct valid Spanish mobile numbers, so every uncached lookup is a new phone. */
const phoneNumber = (i: number) => `+346${String(i).padStart(8, '0')}`;

/** Runs the load and measures the CPU this (the server's) thread spent per request. */
async function measure(load: HttpLoad): Promise<HttpLoadResult & { cpuUs: number }> {
  const cpuPerLookup = startCpuMeter();
  const result = await runHttpLoad(load);
  return { ...result, cpuUs: cpuPerLookup(load.urls.length) };
}

const crm = await startFakeCrmWorker(CRM_DELAY_MS);
const parley = await startParley('pglite', { env: { PARLEY_DISABLE_DEMO: 'false' } });
const { runtime } = parley;
try {
  const demo = runtime.firstStart?.demoShop;
  if (demo === undefined) throw new Error('the fresh data dir should have created the demo shop');
  await applyCrmEndpointChange(runtime.deps, demo.id, {
    add: crmEndpointDefinition.parse({ type: 'sidePanel_CustomerInfo', url: `${crm.url}/crm/customer` }),
  });
  const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const headers = { authorization: `Bearer ${demo.token}` };
  const lookupUrl = (phone: string, refresh = false) =>
    `${base}/api/panel/customer?phone=${encodeURIComponent(phone)}${refresh ? '&refresh=1' : ''}`;
  const panelLoad = { headers, expect: '"status":"found"', warmup: WARMUP };

  const baseline = await measure({
    urls: Array.from(
      { length: WARMUP + UNCACHED_LOOKUPS },
      (_, i) => `${crm.url}/crm/customer?phone=${encodeURIComponent(phoneNumber(i))}`,
    ),
    concurrency: CONCURRENCY,
    expect: '"found"',
    warmup: WARMUP,
  });
  // The same lookups through a proxy with no Parley code: what one extra hop costs on this machine.
  // Measured warm (a first pass compiles it), like the panel's steady state it is compared with.
  const bareProxy = await startBareProxy(crm.url, '/crm/customer');
  const bareLoad = (from: number) => ({
    urls: Array.from(
      { length: WARMUP + UNCACHED_LOOKUPS },
      (_, i) => `${bareProxy.url}/customer?phone=${encodeURIComponent(phoneNumber(from + i))}`,
    ),
    concurrency: CONCURRENCY,
    expect: '"found"',
    warmup: WARMUP,
  });
  await runHttpLoad(bareLoad(500_000));
  const bare = await measure(bareLoad(600_000));
  await bareProxy.close();
  const uncached = await measure({
    ...panelLoad,
    urls: Array.from({ length: WARMUP + UNCACHED_LOOKUPS }, (_, i) =>
      lookupUrl(phoneNumber(100_000 + i), true),
    ),
    concurrency: CONCURRENCY,
  });
  const uncachedWarm = await measure({
    ...panelLoad,
    urls: Array.from({ length: WARMUP + UNCACHED_LOOKUPS }, (_, i) =>
      lookupUrl(phoneNumber(400_000 + i), true),
    ),
    concurrency: CONCURRENCY,
  });
  // The floor of any request on this machine: the same HTTP stack, no panel work.
  const health = await measure({
    urls: Array.from({ length: WARMUP + HIT_LOOKUPS }, () => `${base}/health`),
    concurrency: HIT_CONCURRENCY,
    expect: '"status":"ok"',
    warmup: WARMUP,
  });
  // A few hundred chats open at once, each already in the cache (the warm-up puts them there).
  const hot = Array.from({ length: WARMUP }, (_, i) => lookupUrl(phoneNumber(200_000 + i)));
  const hits = await measure({
    ...panelLoad,
    urls: Array.from({ length: WARMUP + HIT_LOOKUPS }, (_, i) => hot[i % hot.length] ?? ''),
    concurrency: HIT_CONCURRENCY,
  });
  const lonely = phoneNumber(300_000);
  await runHttpLoad({
    ...panelLoad,
    urls: Array.from({ length: COALESCED }, () => lookupUrl(lonely)),
    concurrency: COALESCED,
    warmup: 0,
  });
  const coalescedCalls = await crm.callsFor(lonely);

  const rate = (run: { perSecond: number }) => `${Math.round(run.perSecond).toLocaleString('en')}/s`;
  const cpu = (run: { cpuUs: number }) =>
    `server CPU ${Math.round(run.cpuUs)} µs/lookup (${Math.round(1e6 / run.cpuUs).toLocaleString('en')}/s per core)`;
  const addedP50 = (run: { p50: number }) => run.p50 - baseline.p50;
  const overhead = (run: { p50: number; p99: number }) =>
    `p50 x${(run.p50 / baseline.p50).toFixed(2)}  p99 x${(run.p99 / baseline.p99).toFixed(2)}  added p50 ${ms(addedP50(run))}`;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const lines = [
    `Panel lookups, fake CRM answering in ${CRM_DELAY_MS} ms on loopback (${runtime.deps.databaseKind}; load average ${loadavg()[0]?.toFixed(1)} on this machine)`,
    `direct to the fake CRM  c=${CONCURRENCY}   ${rate(baseline)}  p50 ${ms(baseline.p50)}  p99 ${ms(baseline.p99)}  (baseline)`,
    `bare proxy, no Parley   c=${CONCURRENCY}   ${rate(bare)}  p50 ${ms(bare.p50)}  p99 ${ms(bare.p99)}  ${cpu(bare)}`,
    `  the floor of one extra hop     ${overhead(bare)}`,
    `panel, cache off, fresh server  c=${CONCURRENCY}   ${rate(uncached)}  p50 ${ms(uncached.p50)}  p99 ${ms(uncached.p99)}  ${cpu(uncached)}`,
    `  overhead while V8 compiles    ${overhead(uncached)}`,
    `panel, cache off, warm server   c=${CONCURRENCY}   ${rate(uncachedWarm)}  p50 ${ms(uncachedWarm.p50)}  p99 ${ms(uncachedWarm.p99)}  ${cpu(uncachedWarm)}`,
    `  overhead, steady state        ${overhead(uncachedWarm)} (target <= 2 ms: ${verdict(addedP50(uncachedWarm) <= 2)})`,
    `  of which beyond the bare proxy  ${ms(uncachedWarm.p50 - bare.p50)} (Parley's own share on this machine)`,
    `GET /health            c=${HIT_CONCURRENCY}  ${rate(health)}  p50 ${ms(health.p50)}  p99 ${ms(health.p99)}  ${cpu(health)}  (floor of any request)`,
    `panel, cache hits       c=${HIT_CONCURRENCY}  ${rate(hits)}  p50 ${ms(hits.p50)}  p99 ${ms(hits.p99)}  ${cpu(hits)}  (target >= 5,000/s: ${verdict(hits.perSecond >= 5_000)})`,
    `${COALESCED} concurrent lookups of one uncached phone -> ${coalescedCalls} CRM call(s) (target 1: ${verdict(coalescedCalls === 1)})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await parley.close();
  await crm.close();
}
