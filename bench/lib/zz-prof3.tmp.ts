// TEMPORARY: steady latency + query counts; deleted after use.
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { addShop, startParley, steadyLatency } from './webhook-engine.ts';
import { startReceiverWorker } from './webhook-receiver-worker.ts';
const kind = (process.argv[2] ?? 'postgres') as 'postgres' | 'pglite';
const rate = Number(process.argv[3] ?? 100);
const seconds = Number(process.argv[4] ?? 5);
const counts = new Map<string, number>();
let counting = false;
const orig = pg.Client.prototype.query;
(pg.Client.prototype as any).query = function (this: unknown, ...args: any[]) {
  if (counting) { const t = typeof args[0] === 'string' ? args[0] : args[0]?.text ?? '?'; const k = String(t).slice(0, 60); counts.set(k, (counts.get(k) ?? 0) + 1); }
  return (orig as any).apply(this, args);
};
const receiver = await startReceiverWorker();
const parley = await startParley(kind, 'postgres://postgres@127.0.0.1:5432/test');
const shop = await addShop(parley.runtime, receiver.url, 'lat');
const base = await parley.runtime.app.listen({ port: 0, host: '127.0.0.1' });
await steadyLatency(base, receiver, shop, { perSecond: 20, seconds: 2 }).catch(() => {});
import { monitorEventLoopDelay } from 'node:perf_hooks';
const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
counting = true;
const c0 = process.cpuUsage();
const t0 = performance.now();
const r = await steadyLatency(base, receiver, await addShop(parley.runtime, receiver.url, 'lat2'), { perSecond: rate, seconds });
const c = process.cpuUsage(c0);
h.disable(); console.log('event loop delay ms max', (h.max/1e6).toFixed(0), 'p99', (h.percentile(99)/1e6).toFixed(0), 'mean', (h.mean/1e6).toFixed(1));
counting = false;
const n = rate * seconds;
let total = 0; for (const v of counts.values()) total += v;
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((v / n).toFixed(2).padStart(6), k);
console.log(kind, 'rate', rate, JSON.stringify(r), 'queries/event', (total / n).toFixed(1), 'cpu ms/event', ((c.user + c.system) / 1000 / n).toFixed(2), 'wall', ((performance.now()-t0)/1000).toFixed(1));
const rows = await parley.runtime.deps.db.execute(sql`select outcome, error_code, count(*)::int as n, max(latency_ms) as max_latency from webhook_attempts group by 1,2`);
console.log(JSON.stringify((rows as any).rows ?? rows));
await parley.close();
await receiver.close();
