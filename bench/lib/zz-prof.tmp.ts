// TEMPORARY profiling harness for the webhook engine; deleted after use.
import { addShop, drainBacklog, startParley, type Shop } from './webhook-engine.ts';
import { startReceiverWorker } from './webhook-receiver-worker.ts';
const kind = (process.argv[2] ?? 'postgres') as 'postgres' | 'pglite';
const count = Number(process.argv[3] ?? 2000);
const shopsN = Number(process.argv[4] ?? 16);
const receiver = await startReceiverWorker();
const parley = await startParley(kind, 'postgres://postgres@127.0.0.1:5432/test');
const shops: Shop[] = [];
for (let i = 0; i < shopsN; i++) shops.push(await addShop(parley.runtime, receiver.url, `s${i}`));
await drainBacklog(parley.runtime, receiver, shops, 300, 1_000_000);
import pg from 'pg';
const counts = new Map<string, number>();
let counting = false;
const orig = pg.Client.prototype.query;
(pg.Client.prototype as any).query = function (this: unknown, ...args: any[]) {
  if (counting) { const t = typeof args[0] === 'string' ? args[0] : args[0]?.text ?? '?'; const k = String(t).slice(0, 70); counts.set(k, (counts.get(k) ?? 0) + 1); }
  return (orig as any).apply(this, args);
};
let cpu0 = process.cpuUsage();
const take = receiver.takeArrivals;
receiver.takeArrivals = async () => { const r = await take(); cpu0 = process.cpuUsage(); counting = true; return r; };
const r = await drainBacklog(parley.runtime, receiver, shops, count, 0);
const cpu = process.cpuUsage(cpu0);
counting = false;
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1])) console.log(String(v).padStart(6), k);
console.log(kind, JSON.stringify(r), 'cpu ms/delivery (process)', ((cpu.user + cpu.system) / 1000 / count).toFixed(2));
await parley.close();
await receiver.close();
