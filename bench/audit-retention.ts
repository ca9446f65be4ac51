/**
 * The lookup audit's retention sweep on PGlite, where the database runs on the server's thread: how long
 * the first sweep after an upgrade and the hourly ones hold that thread, and whether the table stops
 * growing once old lookups are deleted as new ones arrive; then the daily embedded vacuum of the same
 * database. The baseline is the cost of writing an hour of lookups, measured in the same run.
 *
 * `node --import tsx bench/audit-retention.ts [batches]` (default 2,000,000 batches of one lookup each,
 * spread evenly over 100 days: the worst case of batching, one lookup a batch, ~1,000 an hour).
 */
import { sql } from 'drizzle-orm';
import { openPglite, queryRows } from '../apps/server/src/db/database.ts';
import { vacuumEmbeddedDatabase } from '../apps/server/src/db/embedded-vacuum.ts';
import { pruneLookupAudit } from '../apps/server/src/features/panel/index.ts';

const BATCHES = Number(process.argv[2] ?? 2_000_000);
const HOUR_MS = 60 * 60_000;
const SPAN_MS = 100 * 24 * HOUR_MS;
const RETENTION_DAYS = 90;
const SIMULATED_HOURS = 240;

const database = await openPglite(undefined);
const db = database.db;
const start = Date.parse('2026-11-21T00:00:00Z');
const stepMs = SPAN_MS / BATCHES;
const perHour = Math.round(HOUR_MS / stepMs);

await db.execute(
  sql`INSERT INTO shops (id, name, request_signing_secret) VALUES ('shop_bench', 'Bench', 'x')`,
);

/** Batches of one lookup each, `stepMs` apart, the newest at `newestAt`. */
async function writeLookups(newestAt: number, count: number): Promise<number> {
  const began = performance.now();
  await db.execute(sql`
    INSERT INTO panel_lookup_audit_batches
      (shop_id, oldest_at, newest_at, agent_ids, phones, statuses, cached, looked_up_at)
    SELECT 'shop_bench', t, t, ARRAY['agent_Hk2mY8cQw1nR5tZp'], ARRAY['+34655123987'], ARRAY['found'],
      ARRAY[false], ARRAY[t]
    FROM generate_series(0, ${count - 1}) AS g,
      LATERAL (SELECT to_timestamp((${newestAt}::float8 - g * ${stepMs}::float8) / 1000) AS t) AS at`);
  return performance.now() - began;
}

async function tableMegabytes(): Promise<string> {
  const [row] = await queryRows<{ bytes: number }>(
    db,
    sql`SELECT pg_total_relation_size('panel_lookup_audit_batches')::float8 AS bytes`,
  );
  return ((row?.bytes ?? 0) / 1e6).toFixed(0);
}

/**
 * Runs `work` and measures the longest stretch it held the thread: the time between two turns of the
 * event loop, its start and end included.
 */
async function holding<T>(work: () => Promise<T>) {
  let longest = 0;
  let last = performance.now();
  const turns = setInterval(() => {
    const at = performance.now();
    longest = Math.max(longest, at - last);
    last = at;
  }, 1);
  const began = performance.now();
  const result = await work();
  const ended = performance.now();
  clearInterval(turns);
  return { result, ms: ended - began, heldMs: Math.max(longest, ended - last) };
}

/** One retention sweep as of `now`. */
async function sweep(now: number) {
  const cutoff = new Date(now - RETENTION_DAYS * 24 * HOUR_MS);
  const { result, ms, heldMs } = await holding(() =>
    pruneLookupAudit({ db, databaseKind: 'pglite' }, cutoff),
  );
  return { deleted: result.batches, ms, heldMs };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

console.log(`writing ${BATCHES.toLocaleString('en')} batches over 100 days (${perHour} an hour)…`);
const filledMs = await writeLookups(start, BATCHES);
console.log(`written in ${fmt(filledMs)}; table ${await tableMegabytes()} MB`);

const first = await sweep(start);
console.log(
  `first sweep (10 days past ${RETENTION_DAYS}, no statistics yet): ${first.deleted.toLocaleString('en')} deleted in ${fmt(first.ms)}, thread held at most ${fmt(first.heldMs)} at a time; table ${await tableMegabytes()} MB`,
);

let writeMs = 0;
let sweepMs = 0;
let heldMs = 0;
let deleted = 0;
const sizes: string[] = [];
for (let hour = 1; hour <= SIMULATED_HOURS; hour++) {
  const now = start + hour * HOUR_MS;
  writeMs += await writeLookups(now, perHour);
  const hourly = await sweep(now);
  sweepMs += hourly.ms;
  heldMs = Math.max(heldMs, hourly.heldMs);
  deleted += hourly.deleted;
  if (hour % 48 === 0) sizes.push(`${hour} h: ${await tableMegabytes()} MB`);
}
console.log(
  `hourly sweeps, ${SIMULATED_HOURS} simulated hours (an hour of new lookups written before each):`,
);
console.log(
  `  ${Math.round(deleted / SIMULATED_HOURS)} deleted a sweep in ${(sweepMs / SIMULATED_HOURS).toFixed(1)} ms on average, thread held at most ${fmt(heldMs)}`,
);
console.log(
  `  against writing that hour's lookups: ${(writeMs / SIMULATED_HOURS).toFixed(1)} ms (baseline): sweep/write x${(sweepMs / writeMs).toFixed(2)}`,
);
console.log(`  table size: ${sizes.join(', ')}`);
const vacuum = await holding(() => vacuumEmbeddedDatabase(db));
console.log(
  `daily embedded vacuum, VACUUM (ANALYZE) of ${vacuum.result.tables} tables: ${fmt(vacuum.ms)}, thread held at most ${fmt(vacuum.heldMs)} (${vacuum.result.slowest?.table})`,
);
await database.close();
