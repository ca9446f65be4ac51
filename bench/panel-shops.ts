/**
 * Does a side-panel lookup cost more when the lookups come from many shops? The same lookups from one
 * shop (the baseline) and spread round-robin over 1,000 shops, in alternating rounds of one run: the
 * server's CPU per uncached lookup (refresh=1, a new phone each time, 8 at a time: one shop's CRM cap)
 * and the cache hits per second (a hot set of chats looked up again and again, 32 at a time). Whatever
 * Parley keeps per shop (endpoint rows, tokens, links, audit batches) shows up here as a ratio.
 * Target (issue 15): the 1,000 shops within 1.5x of one shop's CPU per lookup and cache hits/s.
 *
 * Parley runs in this thread on PGlite; the load generator and the fake CRM (5 ms) in worker threads.
 *   node --import tsx bench/panel-shops.ts [rounds=3]
 */
import { loadavg } from 'node:os';
import { applyCrmEndpointChange } from '../apps/server/src/features/crm/index.ts';
import { createShop } from '../apps/server/src/features/shops/index.ts';
import { createShopRequest, crmEndpointDefinition } from '../packages/contract/src/index.ts';
import { startFakeCrmWorker } from './lib/fake-crm-worker.ts';
import { runHttpLoad, type HttpLoad } from './lib/http-load.ts';
import { startParley } from './lib/parley.ts';
import { percentiles } from './lib/stats.ts';
import { startCpuMeter } from './lib/thread-cpu.ts';

const rounds = Number(process.argv[2] ?? 3);
const SHOPS = 1_000;
const UNCACHED = 2_000;
const HITS = 30_000;
/** Chats open at once: three per shop when spread, all in one shop otherwise. */
const HOT_CHATS = 3_000;
const TARGET = 1.5;

const crm = await startFakeCrmWorker(5);
const parley = await startParley('pglite');
const { runtime } = parley;
try {
  process.stderr.write(`creating ${SHOPS} shops, each with its CRM endpoint... `);
  const tokens: string[] = [];
  for (let i = 0; i < SHOPS; i++) {
    const { shop, token } = await createShop(runtime.deps, createShopRequest.parse({ name: `Shop ${i}` }));
    await applyCrmEndpointChange(runtime.deps, shop.id, {
      add: crmEndpointDefinition.parse({ type: 'sidePanel_CustomerInfo', url: `${crm.url}/crm/customer` }),
    });
    tokens.push(token);
  }
  process.stderr.write('done\n');
  const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  let nextPhone = 0;
  const phone = () => `+346${String(nextPhone++).padStart(8, '0')}`;
  const lookup = (phoneNumber: string, refresh: boolean) =>
    `${base}/api/panel/customer?phone=${encodeURIComponent(phoneNumber)}${refresh ? '&refresh=1' : ''}`;
  const auth = (shop: number) => ({ authorization: `Bearer ${tokens[shop] ?? ''}` });

  /** `shopOf(i)`: which shop sends the i-th request. */
  const uncachedLoad = (shopOf: (i: number) => number): HttpLoad => ({
    urls: Array.from({ length: UNCACHED }, () => lookup(phone(), true)),
    urlHeaders: Array.from({ length: UNCACHED }, (_, i) => auth(shopOf(i))),
    concurrency: 8,
    expect: '"status":"found"',
    warmup: 0,
  });
  /** A hot set of chats, looked up once to cache them, then HITS times round-robin. */
  const hitLoad = (shopOf: (i: number) => number): HttpLoad => {
    const hot = Array.from({ length: HOT_CHATS }, () => phone());
    return {
      urls: Array.from({ length: HOT_CHATS + HITS }, (_, i) => lookup(hot[i % HOT_CHATS] ?? '', false)),
      urlHeaders: Array.from({ length: HOT_CHATS + HITS }, (_, i) => auth(shopOf(i % HOT_CHATS))),
      concurrency: 32,
      expect: '"status":"found"',
      warmup: HOT_CHATS,
    };
  };
  const oneShop = () => 0;
  const spread = (i: number) => i % SHOPS;
  const measureCpu = async (load: HttpLoad) => {
    const cpuPer = startCpuMeter();
    const result = await runHttpLoad(load);
    return { ...result, cpuUs: cpuPer(load.urls.length) };
  };

  // Unmeasured: V8 compiles the paths, every shop's rows reach the caches once.
  await runHttpLoad(uncachedLoad(spread));
  await runHttpLoad(hitLoad(spread));

  const samples = {
    oneCpu: [] as number[],
    spreadCpu: [] as number[],
    oneHits: [] as number[],
    spreadHits: [] as number[],
  };
  // Uncached rounds first, then hit rounds: a round of one kind takes a few seconds, so each shop's
  // rows stay as cached between its rounds as they do for a shop whose agents keep looking up.
  for (let round = 0; round < rounds; round++) {
    samples.oneCpu.push((await measureCpu(uncachedLoad(oneShop))).cpuUs);
    samples.spreadCpu.push((await measureCpu(uncachedLoad(spread))).cpuUs);
  }
  for (let round = 0; round < rounds; round++) {
    samples.oneHits.push((await runHttpLoad(hitLoad(oneShop))).perSecond);
    samples.spreadHits.push((await runHttpLoad(hitLoad(spread))).perSecond);
  }

  const median = (values: number[]) => percentiles(values).p50;
  const range = (values: number[]) =>
    `${Math.round(Math.min(...values)).toLocaleString('en')}–${Math.round(Math.max(...values)).toLocaleString('en')}`;
  const cpuRatio = median(samples.spreadCpu) / median(samples.oneCpu);
  const hitRatio = median(samples.oneHits) / median(samples.spreadHits);
  const verdict = (value: number) => `target <= x${TARGET}: ${value <= TARGET ? 'ok' : 'MISSED'}`;
  console.log(
    [
      `Panel lookups from 1 shop and from ${SHOPS.toLocaleString('en')} shops round-robin (${rounds} alternating rounds, medians; PGlite), load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}`,
      `  uncached, server CPU per lookup   1 shop ${Math.round(median(samples.oneCpu))} µs (${range(samples.oneCpu)})  ${SHOPS} shops ${Math.round(median(samples.spreadCpu))} µs (${range(samples.spreadCpu)})  x${cpuRatio.toFixed(2)} (${verdict(cpuRatio)})`,
      `  cache hits per second              1 shop ${Math.round(median(samples.oneHits)).toLocaleString('en')}/s (${range(samples.oneHits)})  ${SHOPS} shops ${Math.round(median(samples.spreadHits)).toLocaleString('en')}/s (${range(samples.spreadHits)})  1 shop / ${SHOPS} shops x${hitRatio.toFixed(2)} (${verdict(hitRatio)})`,
    ].join('\n'),
  );
} finally {
  await parley.close();
  await crm.close();
}
