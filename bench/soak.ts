/**
 * Memory under a long stream of side-panel lookups, against the floor of the same run: Parley as
 * `npm start` runs it (its bundle, PGlite, started once before so that this is a restart) takes 200
 * lookups/s for 10 minutes, of phones drawn from a pool larger than its answer cache, answered by a
 * fake CRM in 5 ms; its RSS is read every 10 s. The floor is lib/floor-server.mjs (PGlite and Fastify
 * serving /health) at idle, 3 s after a start on a reused data dir.
 * Target (issue 15): RSS within floor + 150 MB for the whole soak.
 *
 *   node --import tsx bench/soak.ts [minutes=10] [lookups per second=200]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { crmEndpointDefinition } from '../packages/contract/src/index.ts';
import { buildServer, serverBuildIsStale } from '../apps/server/scripts/build.mjs';
import { startRestartedServer, stopChildServer, type ChildServer } from './lib/child-server.ts';
import { startFakeCrmWorker } from './lib/fake-crm-worker.ts';
import { callMcpTool } from './lib/mcp-call.ts';

const minutes = Number(process.argv[2] ?? 10);
const perSecond = Number(process.argv[3] ?? 200);
const root = new URL('..', import.meta.url).pathname;
const PHONES = 30_000;
const SAMPLE_EVERY_MS = 10_000;
const TICK_MS = 50;
const TARGET_MIB = 150;
const ADMIN_TOKEN = `pk_admin_${randomBytes(16).toString('hex')}`;

const rssMiB = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
};

if (serverBuildIsStale()) await buildServer();
const dirs = [mkdtempSync(join(tmpdir(), 'parley-soak-floor-')), mkdtempSync(join(tmpdir(), 'parley-soak-'))];
const crm = await startFakeCrmWorker(5);
const running: ChildServer[] = [];
try {
  const floor = await startRestartedServer(['bench/lib/floor-server.mjs'], {
    cwd: root,
    env: { FLOOR_DATA_DIR: dirs[0] ?? '' },
  });
  running.push(floor.server);
  await delay(3_000);
  const floorRss = rssMiB(floor.server.child.pid!);
  await stopChildServer(floor.server.child);

  const { server, base } = await startRestartedServer(['apps/server/dist/main.js'], {
    cwd: root,
    env: {
      PARLEY_DATA_DIR: dirs[1] ?? '',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_DISABLE_DEMO: 'true',
      PARLEY_ADMIN_TOKEN: ADMIN_TOKEN,
      PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
    },
  });
  running.push(server);
  const pid = server.child.pid!;
  const created = await fetch(`${base}/api/admin/shops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Soak shop' }),
  });
  const { token } = (await created.json()) as { token: string };
  const endpoint = crmEndpointDefinition.parse({
    type: 'sidePanel_CustomerInfo',
    url: `${crm.url}/crm/customer`,
  });
  await callMcpTool(
    `${base}/api/mcp`,
    'update_crm_endpoints',
    { add_crm_endpoint: endpoint, confirm: true },
    `Bearer ${token}`,
  );
  await delay(3_000);
  const idleRss = rssMiB(pid);

  // Paced: every TICK_MS the lookups of that slice of a second, whatever the answers' latency.
  const phone = () => `+346${String(Math.floor(Math.random() * PHONES)).padStart(8, '0')}`;
  let sent = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const lookup = async () => {
    const response = await fetch(`${base}/api/panel/customer?phone=${encodeURIComponent(phone())}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await response.text();
    if (response.status !== 200 || !body.includes('"status":"found"')) failed++;
  };
  const samples: { minute: number; rss: number }[] = [];
  const started = performance.now();
  const endAt = started + minutes * 60_000;
  let nextSample = started + SAMPLE_EVERY_MS;
  for (let tick = 0; performance.now() < endAt; tick++) {
    const due = Math.round(((tick + 1) * TICK_MS * perSecond) / 1000) - sent;
    for (let i = 0; i < due; i++) {
      const request = lookup().catch(() => void failed++);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      sent++;
    }
    if (performance.now() >= nextSample) {
      samples.push({ minute: (performance.now() - started) / 60_000, rss: rssMiB(pid) });
      nextSample += SAMPLE_EVERY_MS;
    }
    await delay(Math.max(0, started + (tick + 1) * TICK_MS - performance.now()));
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - started) / 1000;

  const rssValues = samples.map((sample) => sample.rss);
  const peak = Math.max(...rssValues);
  const over = peak - floorRss;
  const timeline = samples
    .filter((_, i) => (i + 1) % 6 === 0)
    .map((sample) => `${sample.minute.toFixed(0)} min ${sample.rss.toFixed(0)}`)
    .join(', ');
  console.log(
    [
      `Soak: ${sent.toLocaleString('en')} side-panel lookups in ${elapsedS.toFixed(0)} s (${(sent / elapsedS).toFixed(0)}/s, ${failed} failed), phones from a pool of ${PHONES.toLocaleString('en')}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}`,
      `  floor at idle (PGlite + Fastify, reused data dir)   RSS ${floorRss.toFixed(0)} MiB  (baseline)`,
      `  parley at idle after its restart                     RSS ${idleRss.toFixed(0)} MiB  (floor ${idleRss - floorRss >= 0 ? '+' : ''}${(idleRss - floorRss).toFixed(0)} MiB)`,
      `  parley during the soak, every minute (MiB)           ${timeline}`,
      `  parley's peak during the soak                        RSS ${peak.toFixed(0)} MiB  (floor +${over.toFixed(0)} MiB; target <= +${TARGET_MIB}: ${over <= TARGET_MIB ? 'ok' : 'MISSED'})`,
    ].join('\n'),
  );
} finally {
  for (const { child } of running) await stopChildServer(child);
  await crm.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
