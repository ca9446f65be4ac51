/**
 * Start-up: time from spawn to the first 200 from /health, on a fresh data dir (PGlite initdb +
 * migrations + first-start bootstrap) and on the same dir reused, and the resident memory at idle.
 * Baseline in the same run: a bare `node` process serving one route with node:http.
 *
 *   node --import tsx bench/startup.ts [runs=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { percentiles } from './lib/stats.ts';

const runs = Number(process.argv[2] ?? 3);
const root = new URL('..', import.meta.url).pathname;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Spawns a command and polls /health every 5 ms; resolves with ms to the first 200 and the child. */
async function timeToHealthy(args: string[], env: Record<string, string>, port: number) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'ignore',
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return { ms: performance.now() - started, child };
    } catch {
      // not listening yet
    }
    await delay(5);
  }
}

const rssMiB = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
};

async function stop(child: ReturnType<typeof spawn>): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const median = (values: number[]) => percentiles(values).p50;

const baseline: number[] = [];
const fresh: number[] = [];
const reused: number[] = [];
const idleRss: number[] = [];
const bareServer =
  "require('node:http').createServer((q,s)=>s.end('{\"status\":\"ok\"}')).listen(Number(process.env.PORT),'127.0.0.1')";

for (let run = 0; run < runs; run++) {
  const port = await freePort();
  const bare = await timeToHealthy(['-e', bareServer], { PORT: String(port) }, port);
  baseline.push(bare.ms);
  await stop(bare.child);

  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-startup-'));
  try {
    const env = { PORT: String(port), PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn' };
    const args = ['--import', 'tsx', 'apps/server/src/main.ts'];
    const first = await timeToHealthy(args, env, port);
    fresh.push(first.ms);
    await stop(first.child);
    const second = await timeToHealthy(args, env, port);
    reused.push(second.ms);
    await delay(3000); // settle: let start-up garbage be collected before reading RSS
    idleRss.push(rssMiB(second.child.pid!));
    await stop(second.child);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const base = median(baseline);
console.log(`startup (${runs} runs, medians)`);
console.log(`  baseline: bare node:http to first 200   ${base.toFixed(0)} ms`);
console.log(
  `  parley, fresh data dir to first /health ${median(fresh).toFixed(0)} ms  (x${(median(fresh) / base).toFixed(1)} baseline)`,
);
console.log(
  `  parley, reused data dir                 ${median(reused).toFixed(0)} ms  (x${(median(reused) / base).toFixed(1)} baseline)`,
);
console.log(`  parley RSS at idle (3 s after start)    ${median(idleRss).toFixed(0)} MiB`);
