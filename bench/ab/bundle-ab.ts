/**
 * A/B of two versions of the server on the side panel's paths, each run as `npm start` runs it (an
 * esbuild bundle, bench/lib/bundle-variant.ts): `node --import tsx bench/ab/bundle-ab.ts <revA> [revB]`
 * (git revisions; revB defaults to the working tree; `--rounds=N`, `--keep-names` to bundle both as
 * tsx would run them). Each version runs in a child process of its own (bench/lib/ab-panel-server.ts,
 * on PGlite); the fake CRM (5 ms) and the load generator run in worker threads of this process.
 * After a warm-up, the rounds alternate A and B (ABBA), each measuring the child's main-thread CPU per
 * uncached lookup (`refresh=1`, a new phone each time, 8 at a time) and per cache hit (32 at a time).
 * It prints the medians of each, their spread, and the median of the per-round B/A ratios, which
 * cancels the machine's drift between rounds (2 shared cores).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { abArguments, bundleVariant, removeBundleVariants } from '../lib/bundle-variant.ts';
import { startFakeCrmWorker } from '../lib/fake-crm-worker.ts';
import { runHttpLoad } from '../lib/http-load.ts';
import { median } from '../lib/stats.ts';

const { revA, revB, option, flag } = abArguments('bundle-ab.ts');
const ROUNDS = Number(option('rounds') ?? 12);
const keepNames = flag('keep-names');
const UNCACHED = 1_000;
const HITS = 6_000;
const HOT_CHATS = 300;

/** Distinct valid Spanish mobile numbers. */
const phoneNumber = (i: number) => `+346${String(i).padStart(8, '0')}`;

interface Server {
  name: string;
  child: ChildProcess;
  base: string;
  token: string;
  nextPhone: number;
  uncachedUs: number[];
  hitUs: number[];
}

async function startServer(
  name: string,
  bundle: string,
  crmUrl: string,
  firstPhone: number,
): Promise<Server> {
  const child = fork(bundle, [], {
    env: { ...process.env, CRM_URL: crmUrl },
    execArgv: [],
    stdio: 'inherit',
  });
  const [ready] = (await once(child, 'message')) as [{ base: string; token: string }];
  return { name, child, ...ready, nextPhone: firstPhone, uncachedUs: [], hitUs: [] };
}

async function cpuNs(server: Server): Promise<number> {
  server.child.send('cpu');
  const [{ cpuNs: ns }] = (await once(server.child, 'message')) as [{ cpuNs: number }];
  return ns;
}

const lookupUrl = (server: Server, phone: string, refresh: boolean) =>
  `${server.base}/api/panel/customer?phone=${encodeURIComponent(phone)}${refresh ? '&refresh=1' : ''}`;

/** One round on `server`: µs of its main thread's CPU per uncached lookup and per cache hit. */
async function round(server: Server, hot: readonly string[]) {
  const load = {
    headers: { authorization: `Bearer ${server.token}` },
    expect: '"status":"found"',
    warmup: 0,
  };
  const first = server.nextPhone;
  server.nextPhone += UNCACHED;
  const before = await cpuNs(server);
  await runHttpLoad({
    ...load,
    urls: Array.from({ length: UNCACHED }, (_, i) => lookupUrl(server, phoneNumber(first + i), true)),
    concurrency: 8,
  });
  const between = await cpuNs(server);
  await runHttpLoad({
    ...load,
    urls: Array.from({ length: HITS }, (_, i) => lookupUrl(server, hot[i % hot.length] ?? '', false)),
    concurrency: 32,
  });
  const after = await cpuNs(server);
  return { uncachedUs: (between - before) / 1000 / UNCACHED, hitUs: (after - between) / 1000 / HITS };
}

const spread = (values: readonly number[], digits = 1) =>
  `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;

const crm = await startFakeCrmWorker(5);
const servers: Server[] = [];
try {
  const entry = 'bench/lib/ab-panel-server.ts';
  const bundles = [
    await bundleVariant(entry, { rev: revA, keepNames }, 'panel-server-a'),
    await bundleVariant(entry, { rev: revB, keepNames }, 'panel-server-b'),
  ];
  servers.push(await startServer('A', bundles[0] ?? '', crm.url, 1_000_000));
  servers.push(await startServer('B', bundles[1] ?? '', crm.url, 5_000_000));
  const hot = Array.from({ length: HOT_CHATS }, (_, i) => phoneNumber(i));
  // Warm-up, unmeasured: V8 compiles the paths (CPU per lookup falls for ~2,000 lookups) and the
  // hot chats enter each server's cache.
  for (const server of servers) {
    for (let i = 0; i < 3; i++) await round(server, hot);
  }
  const ratios = { uncached: [] as number[], hits: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? servers : [...servers].reverse();
    const results = new Map<string, { uncachedUs: number; hitUs: number }>();
    for (const server of order) {
      const result = await round(server, hot);
      server.uncachedUs.push(result.uncachedUs);
      server.hitUs.push(result.hitUs);
      results.set(server.name, result);
    }
    const a = results.get('A');
    const b = results.get('B');
    if (a !== undefined && b !== undefined) {
      ratios.uncached.push(b.uncachedUs / a.uncachedUs);
      ratios.hits.push(b.hitUs / a.hitUs);
    }
  }
  const [a, b] = servers;
  if (a === undefined || b === undefined) throw new Error('two servers were started');
  const line = (what: string, av: number[], bv: number[], paired: number[]) =>
    `${what.padEnd(16)} A ${median(av).toFixed(1)} µs (${spread(av)})  B ${median(bv).toFixed(1)} µs (${spread(bv)})  ` +
    `B/A ${(median(bv) / median(av)).toFixed(3)}  paired B/A median ${median(paired).toFixed(3)} (${spread(paired, 3)})`;
  process.stdout.write(
    [
      `A ${revA}  B ${revB}${keepNames ? '  (both with keepNames, as tsx runs them)' : '  (bundled as npm start runs them)'}`,
      `${ROUNDS} alternating rounds of ${UNCACHED} uncached lookups and ${HITS} cache hits each; load average ${loadavg()[0]?.toFixed(1)}`,
      line('uncached lookup', a.uncachedUs, b.uncachedUs, ratios.uncached),
      line('cache hit', a.hitUs, b.hitUs, ratios.hits),
    ].join('\n') + '\n',
  );
} finally {
  for (const server of servers) {
    server.child.send('close');
    await once(server.child, 'exit');
  }
  await crm.close();
  removeBundleVariants();
}
