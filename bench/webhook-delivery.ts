/**
 * Webhook delivery through the real engine (claim loop, outbound client, signing, result and health
 * writes) to a loopback receiver that answers 200 at once, on PGlite and on PostgreSQL, in one run:
 *  - sustained deliveries/s: a backlog spread over 16 shops, held while it is recorded (the webhooks
 *    are paused, as by an outage), then released with configure_webhooks; timed from the release to
 *    the last result recorded. The worker runs with its production limits (64 runs, 4 per shop);
 *  - the raw ceiling: the same bodies to the same receiver, plain undici POSTs at the same
 *    concurrency, no persistence; over keep-alive connections, and over a new connection per request
 *    (what connection reuse is worth);
 *  - end-to-end latency from intake (POST /api/conversations/messages detecting one new phone) to
 *    receipt, at a steady 100 events/s for 10 s.
 * The receiver and the intake client run in worker threads: the main thread's CPU time is Parley's.
 *
 *   node --import tsx bench/webhook-delivery.ts [backlog=3000]
 * PostgreSQL: PARLEY_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a scratch
 * database is created on that server and dropped afterwards.
 */
import { cpus, loadavg } from 'node:os';
import type { DatabaseKind } from '../apps/server/src/db/database.ts';
import { postRaw } from './lib/raw-posts.ts';
import { ms } from './lib/stats.ts';
import { addShop, drainBacklog, startWebhookParley, steadyLatency, type Shop } from './lib/webhook-engine.ts';
import { startReceiverWorker, type ReceiverWorker } from './lib/webhook-receiver-worker.ts';

const BACKLOG = Number(process.argv[2] ?? 3_000);
/** Sustained means warm: V8 optimizes the engine's paths over its first thousands of deliveries. */
const WARMUP = BACKLOG;
const SHOPS = 16;
/** The worker's production limit (worker.ts): 64 runs at once (and 4 per shop). */
const CONCURRENCY = 64;
const STEADY = { perSecond: 100, seconds: 10 };
const POSTGRES_URL = process.env.PARLEY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Drain = Awaited<ReturnType<typeof drainBacklog>>;
type Latency = Awaited<ReturnType<typeof steadyLatency>>;

interface EngineRun {
  kind: DatabaseKind;
  drain: Drain;
  latency: Latency;
  /** The bodies as stored, for the raw ceiling. */
  bodies: string[];
}

async function runEngine(kind: DatabaseKind, receiver: ReceiverWorker): Promise<EngineRun> {
  const parley = await startWebhookParley(kind, POSTGRES_URL);
  try {
    const { runtime } = parley;
    const shops: Shop[] = [];
    for (let i = 0; i < SHOPS; i++) shops.push(await addShop(runtime, receiver.url, `Bench shop ${i}`));
    await drainBacklog(runtime, receiver, shops, WARMUP, 1_000_000);
    const drain = await drainBacklog(runtime, receiver, shops, BACKLOG, 0);
    const events = await runtime.deps.db.query.webhookEvents.findMany({ columns: { body: true } });
    const latencyShop = await addShop(runtime, receiver.url, 'Latency shop');
    const baseUrl = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    const latency = await steadyLatency(baseUrl, receiver, latencyShop, STEADY);
    return { kind, drain, latency, bodies: events.map((event) => event.body) };
  } finally {
    await parley.close();
  }
}

const load = loadavg()
  .map((value) => value.toFixed(1))
  .join(' / ');
const receiver = await startReceiverWorker();
try {
  const pglite = await runEngine('pglite', receiver);
  const postgres = await runEngine('postgres', receiver);
  const bodies = postgres.bodies.slice(0, BACKLOG);
  const raw = (newConnectionEach: boolean) =>
    postRaw(receiver, bodies, { concurrency: CONCURRENCY, newConnectionEach });
  await postRaw(receiver, bodies.slice(0, WARMUP), { concurrency: CONCURRENCY, newConnectionEach: false });
  const keepAlive = await raw(false);
  const perConnection = await raw(true);

  const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en')}/s`.padStart(9);
  const cpu = (us: number) => `CPU ${Math.round(us).toLocaleString('en')} µs each`;
  const versus = (perSecond: number) => `x${(perSecond / keepAlive.perSecond).toFixed(2)} of raw`;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const engineLine = ({ kind, drain }: EngineRun) =>
    `engine on ${kind.padEnd(8)}        ${rate(drain.perSecond)}  ${versus(drain.perSecond)}  ${cpu(drain.cpuUs)}` +
    `  (${BACKLOG.toLocaleString('en')} in ${drain.seconds.toFixed(1)} s)`;
  const latencyLine = ({ kind, latency }: EngineRun) =>
    `  ${kind.padEnd(8)} at ${latency.perSecond.toFixed(0)}/s  p50 ${ms(latency.p50)}  p95 ${ms(latency.p95)}  ` +
    `p99 ${ms(latency.p99)}  ${cpu(latency.cpuUs)}  (target p99 < 500 ms: ${verdict(latency.p99 < 500)})`;
  const lines = [
    `Webhook deliveries to a loopback receiver answering 200 at once; ${SHOPS} shops, the worker's own limits`,
    `load average at start ${load} (${cpus().length} cores); CPU is the main thread's per delivery`,
    `raw ceiling, keep-alive        c=${CONCURRENCY} ${rate(keepAlive.perSecond)}  (baseline)  ${cpu(keepAlive.cpuUs)}`,
    `raw, a connection per request c=${CONCURRENCY} ${rate(perConnection.perSecond)}  ${versus(perConnection.perSecond)}  ${cpu(perConnection.cpuUs)}`,
    engineLine(pglite),
    `${engineLine(postgres)}  (target >= 1,000/s: ${verdict(postgres.drain.perSecond >= 1_000)})`,
    `latency, intake (POST /api/conversations/messages) to receipt, ${STEADY.perSecond} events/s for ${STEADY.seconds} s:`,
    latencyLine(pglite),
    latencyLine(postgres),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await receiver.close();
}
