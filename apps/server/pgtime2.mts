import { PGlite } from '@electric-sql/pglite';
import { openPglite } from '/work/main/apps/server/src/db/database.ts';
let t = performance.now();
const d = await openPglite(undefined);
console.log('in-memory migrate ms', Math.round(performance.now() - t));
t = performance.now();
// @ts-ignore
const client = (d.db as any).$client as PGlite;
const dump = await client.dumpDataDir('none');
console.log('dump ms', Math.round(performance.now() - t), dump.size);
t = performance.now();
const c2 = new PGlite({ loadDataDir: dump });
await c2.waitReady;
console.log('load ms', Math.round(performance.now() - t));
console.log((await c2.query('select count(*) from shops')).rows);
t = performance.now();
const c3 = new PGlite();
await c3.waitReady;
console.log('empty ms', Math.round(performance.now() - t));
