// The embedded database's vacuum: on PGlite (no autovacuum) the worker runs it an hour after start
// and daily, and afterwards the planner has statistics and dead rows are gone; a minute after start
// and every ten minutes it analyzes the tables that grew. On PostgreSQL there are no such jobs.
// Time is the test app's manual clock.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { countingLoopTurns } from '../../test/helpers/loop-turns.ts';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { createTestWorker } from '../../test/helpers/webhooks.ts';
import { createJobSources } from '../worker/catalog.ts';
import { queryRows } from './database.ts';
import {
  EMBEDDED_ANALYZE_EVERY_MS,
  EMBEDDED_ANALYZE_FIRST_AFTER_MS,
  EMBEDDED_VACUUM_EVERY_MS,
  EMBEDDED_VACUUM_FIRST_AFTER_MS,
  vacuumEmbeddedDatabase,
} from './embedded-vacuum.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

/** What the planner knows of function_call_logs, and the dead rows PostgreSQL counts in it. */
async function tableState() {
  // Statistics are counted per session and published now and then; this publishes them now.
  await t.deps.db.execute(sql`SELECT pg_stat_force_next_flush()`);
  const [row] = await queryRows<{ estimated_rows: number; dead_rows: number }>(
    t.deps.db,
    sql`SELECT c.reltuples::float8 AS estimated_rows, s.n_dead_tup::int AS dead_rows
        FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relname = 'function_call_logs'`,
  );
  assert.ok(row !== undefined);
  return row;
}

async function writeAndDeleteLogs(shopId: string, prefix: string) {
  await t.deps.db.execute(sql`
    INSERT INTO function_call_logs (id, shop_id, reply_id, function_name, arguments, status, created_at)
    SELECT ${prefix} || g, ${shopId}, 'reply', 'get_order', '{}'::jsonb, 'ok', now()
    FROM generate_series(1, 1000) AS g`);
  await t.deps.db.execute(sql`DELETE FROM function_call_logs WHERE id LIKE ${`${prefix}%`}`);
}

test('on PGlite the worker vacuums and analyzes every table an hour after start, then daily', async () => {
  const names = createJobSources(t.deps).map((source) => source.name);
  if (t.deps.databaseKind === 'postgres') {
    // Autovacuum does it there.
    assert.ok(!names.includes('embedded-vacuum'), names.join(', '));
    return;
  }
  assert.ok(names.includes('embedded-vacuum'), names.join(', '));
  const { shopId } = await t.createShop();
  const worker = createTestWorker(t);
  await writeAndDeleteLogs(shopId, 'first_');
  const never = await tableState();
  assert.equal(never.estimated_rows, -1, 'never analyzed');
  assert.ok(never.dead_rows >= 1_000, JSON.stringify(never));

  t.clock.advance(EMBEDDED_VACUUM_FIRST_AFTER_MS - 1);
  await worker.drain();
  assert.ok((await tableState()).dead_rows >= 1_000, 'not vacuumed before an hour');

  t.clock.advance(1);
  await worker.drain();
  assert.deepEqual(await tableState(), { estimated_rows: 0, dead_rows: 0 });

  // The next day's run sees the next day's rows.
  await t.deps.db.execute(sql`
    INSERT INTO function_call_logs (id, shop_id, reply_id, function_name, arguments, status, created_at)
    SELECT 'kept_' || g, ${shopId}, 'reply', 'get_order', '{}'::jsonb, 'ok', now() FROM generate_series(1, 300) AS g`);
  await writeAndDeleteLogs(shopId, 'second_');
  assert.ok((await tableState()).dead_rows >= 1_000);
  t.clock.advance(EMBEDDED_VACUUM_EVERY_MS);
  await worker.drain();
  assert.deepEqual(await tableState(), { estimated_rows: 300, dead_rows: 0 });

  // PGlite works on the server's thread: requests get a turn between tables.
  const { result, turns } = await countingLoopTurns(() => vacuumEmbeddedDatabase(t.deps.db));
  assert.ok(result.tables >= 10 && turns >= result.tables, `${turns} turns for ${result.tables} tables`);
});

test('on PGlite the worker analyzes a table that grew a minute after start, and again once it grew by a fifth', async () => {
  if (t.deps.databaseKind === 'postgres') {
    assert.ok(!createJobSources(t.deps).some((source) => source.name === 'embedded-analyze'));
    return;
  }
  const fresh = await startTestApp();
  try {
    const { shopId } = await fresh.createShop();
    const worker = createTestWorker(fresh);
    const estimate = async () => {
      const [row] = await queryRows<{ rows: number }>(
        fresh.deps.db,
        sql`SELECT reltuples::float8 AS rows FROM pg_class WHERE relname = 'webhook_events'`,
      );
      return row?.rows;
    };
    const writeEvents = (from: number, to: number) =>
      fresh.deps.db.execute(sql`
        INSERT INTO webhook_events (id, shop_id, event, body, created_at)
        SELECT 'evt_' || g, ${shopId}, 'phone.detected', repeat('x', 200), now() FROM generate_series(${from}::int, ${to}::int) AS g`);
    await writeEvents(1, 2_000);
    fresh.clock.advance(EMBEDDED_ANALYZE_FIRST_AFTER_MS - 1);
    await worker.drain();
    assert.equal(await estimate(), -1, 'not before a minute');
    fresh.clock.advance(1);
    await worker.drain();
    assert.equal(await estimate(), 2_000);

    // 5 % more rows is not growth worth a new ANALYZE; 50 % more is.
    await writeEvents(2_001, 2_100);
    fresh.clock.advance(EMBEDDED_ANALYZE_EVERY_MS);
    await worker.drain();
    assert.equal(await estimate(), 2_000);
    await writeEvents(2_101, 3_000);
    fresh.clock.advance(EMBEDDED_ANALYZE_EVERY_MS);
    await worker.drain();
    assert.equal(await estimate(), 3_000);
  } finally {
    await fresh.close();
  }
});
