/**
 * Start-up and memory against their floor, measured in the same run: a process that only opens PGlite
 * on the data dir and serves /health with Fastify (lib/floor-server.mjs). For each: time from spawn
 * to the first 200 from /health on a fresh data dir (initdb) and on the same dir reused, and the
 * resident memory 3 s after each start. Parley runs as `npm start` runs it (its bundle, dist/main.js);
 * its sources through tsx (`npm run dev`) are timed too, for the difference the build makes.
 * Targets (issue 15): reused ≤ floor + 400 ms, fresh ≤ floor + 1 s, RSS at idle ≤ floor + 60 MB.
 *
 *   node --import tsx bench/startup.ts [runs=3]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { buildServer } from '../apps/server/scripts/build.mjs';
import { freePort, startChildServer, stopChildServer } from './lib/child-server.ts';
import { percentiles } from './lib/stats.ts';

const runs = Number(process.argv[2] ?? 3);
const root = new URL('..', import.meta.url).pathname;

const timeToHealthy = (args: string[], env: Record<string, string>, port: number) =>
  startChildServer(args, { cwd: root, env, readyUrl: `http://127.0.0.1:${port}/health` });

const rssMiB = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
};

const median = (values: number[]) => percentiles(values).p50;

const bundle = ['apps/server/dist/main.js'];
const sources = ['--import', 'tsx', 'apps/server/src/main.ts'];
const floorScript = ['bench/lib/floor-server.mjs'];

interface Sample {
  fresh: number[];
  reused: number[];
  freshRss: number[];
  reusedRss: number[];
}
const sample = (): Sample => ({ fresh: [], reused: [], freshRss: [], reusedRss: [] });
const floor = sample();
const parley = sample();
const tsxReused: number[] = [];

/** A fresh start then a reused one of `args` on a new data dir, each read 3 s after it answered. */
async function startTwice(args: string[], dataDirVariable: string, into: Sample, port: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-startup-'));
  try {
    const env = { PORT: String(port), [dataDirVariable]: dataDir, PARLEY_LOG_LEVEL: 'warn' };
    for (const [times, rss] of [
      [into.fresh, into.freshRss],
      [into.reused, into.reusedRss],
    ] as const) {
      const started = await timeToHealthy(args, env, port);
      times.push(started.ms);
      await delay(3000); // what the process holds once its start is over
      rss.push(rssMiB(started.child.pid!));
      await stopChildServer(started.child);
    }
    if (args === bundle) {
      const again = await timeToHealthy(sources, env, port);
      tsxReused.push(again.ms);
      await stopChildServer(again.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await buildServer();
for (let run = 0; run < runs; run++) {
  const port = await freePort();
  await startTwice(floorScript, 'FLOOR_DATA_DIR', floor, port);
  await startTwice(bundle, 'PARLEY_DATA_DIR', parley, port);
}

const row = (label: string, parleyValues: number[], floorValues: number[], unit: string, target: number) => {
  const [mine, base] = [median(parleyValues), median(floorValues)];
  const over = mine - base;
  const verdict = over <= target ? 'ok' : 'MISSED';
  console.log(
    `  ${label.padEnd(34)} floor ${base.toFixed(0).padStart(5)} ${unit}  parley ${mine.toFixed(0).padStart(5)} ${unit}  ` +
      `(floor ${over >= 0 ? '+' : ''}${over.toFixed(0)} ${unit}; target <= +${target}: ${verdict})`,
  );
};
console.log(
  `startup and memory against the floor (${runs} runs, medians), load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`,
);
row('reused data dir to first /health', parley.reused, floor.reused, 'ms', 400);
row('fresh data dir to first /health', parley.fresh, floor.fresh, 'ms', 1000);
row('RSS 3 s after a reused start', parley.reusedRss, floor.reusedRss, 'MiB', 60);
row('RSS 3 s after a fresh start', parley.freshRss, floor.freshRss, 'MiB', 60);
console.log(`  parley from its sources (tsx), reused data dir: ${median(tsxReused).toFixed(0)} ms`);
