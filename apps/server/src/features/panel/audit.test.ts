/**
 * The lookup audit's batches on a real database: reads return exactly the newest lookups when several
 * processes wrote batches that overlap in time, and an upgrade moves the one-row-per-lookup audit of
 * earlier releases into batches.
 */
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import {
  createScratchPostgresDatabase,
  earlierReleaseMigrations,
  openTestDatabase,
  testDatabaseKind,
} from '../../../test/helpers/test-database.ts';
import { attachPglite, openPostgres, type Database } from '../../db/database.ts';
import { createLogger } from '../../lib/logger.ts';
import { LookupAudit, newestLookups, type LookupAuditEntry } from './audit.ts';

let database: Database;
before(async () => {
  database = await openTestDatabase();
});
after(() => database.close());

const logger = createLogger('silent');
/** Written only when read (a read flushes first) or closed. */
const unflushed = { batchRows: 1_000, flushMs: 60 * 60_000 };
const T0 = Date.parse('2026-11-21T10:00:00.000Z');

const lookup = (shopId: string, phone: string, ms: number, agentId: string | null = null) =>
  ({
    shopId,
    agentId,
    phone,
    status: 'found',
    cached: false,
    at: new Date(T0 + ms),
  }) satisfies LookupAuditEntry;

/** What a read must answer: the newest `limit` entries of the shop (and phone), newest first. */
function expected(entries: LookupAuditEntry[], shopId: string, limit: number, phone?: string) {
  return entries
    .filter((entry) => entry.shopId === shopId && (phone === undefined || entry.phone === phone))
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, limit)
    .map((entry) => [entry.phone, entry.at.toISOString()]);
}

test('reads give exactly the newest lookups when batches of two processes overlap in time', async () => {
  const shopId = `shop_overlap_${Date.now()}`;
  // Two processes on one database, each writing its own batches.
  const first = new LookupAudit({ db: database.db, logger }, unflushed);
  const second = new LookupAudit({ db: database.db, logger }, unflushed);
  const written: LookupAuditEntry[] = [];
  const record = (audit: LookupAudit, entry: LookupAuditEntry) => {
    audit.record(entry);
    written.push(entry);
  };
  const flush = (audit: LookupAudit) => audit.read(shopId, { limit: 1 });

  // The first process's batch spans 0-250 ms, its lookup of +34600000001 the oldest in it; the second
  // process's batch ends earlier (200 ms) but looked that phone up later (190 ms).
  record(first, lookup(shopId, '+34600000001', 0));
  record(first, lookup(shopId, '+34600000009', 250));
  record(second, lookup(shopId, '+34600000001', 190, 'agent_b'));
  record(second, lookup(shopId, '+34600000009', 200));
  await flush(first);
  await flush(second);
  // Later batches, and another shop's lookups, which no read of this shop may show.
  for (let ms = 300; ms < 1_300; ms += 100) record(first, lookup(shopId, `+3460000${ms}`, ms));
  first.record(lookup('another_shop', '+34600000001', 2_000));
  await flush(first);
  record(second, lookup(shopId, '+34600000001', 1_250));
  await flush(second);

  for (const limit of [1, 2, 3, 5, 12, 50]) {
    const all = await second.read(shopId, { limit });
    assert.deepEqual(
      all.entries.map((entry) => [entry.phone, entry.at]),
      expected(written, shopId, limit),
      `newest ${limit}`,
    );
    const onePhone = await second.read(shopId, { phone: '+34600000001', limit });
    assert.deepEqual(
      onePhone.entries.map((entry) => [entry.phone, entry.at]),
      expected(written, shopId, limit, '+34600000001'),
      `newest ${limit} of one phone`,
    );
  }
  const [byAgent] = (await first.read(shopId, { phone: '+34600000001', limit: 3 })).entries.slice(1);
  assert.deepEqual(byAgent?.by, { kind: 'agent', agent_id: 'agent_b' });
  await first.close();
  await second.close();
});

/** A database migrated as the first release left it, and a way to upgrade it to this release. */
async function firstReleaseDatabase(folder: string) {
  if (testDatabaseKind() === 'pglite') {
    const client = new PGlite();
    await migratePglite(drizzlePglite({ client }), { migrationsFolder: folder });
    return {
      execute: (query: ReturnType<typeof sql>) => drizzlePglite({ client }).execute(query),
      upgrade: () => attachPglite(client),
      dispose: async () => {},
    };
  }
  const scratch = await createScratchPostgresDatabase();
  const pool = new pg.Pool({ connectionString: scratch.url, max: 1 });
  await migratePg(drizzlePg({ client: pool }), { migrationsFolder: folder });
  return {
    execute: (query: ReturnType<typeof sql>) => drizzlePg({ client: pool }).execute(query),
    upgrade: () => openPostgres(scratch.url, { poolSize: 2 }),
    dispose: async () => {
      await pool.end();
      await scratch.drop();
    },
  };
}

test('an upgrade moves the one-row-per-lookup audit into batches of 200 per shop, oldest first', async () => {
  const folder = earlierReleaseMigrations(1);
  const old = await firstReleaseDatabase(folder);
  try {
    const rows: LookupAuditEntry[] = [];
    for (let i = 0; i < 450; i++) rows.push(lookup('shop_a', `+346${String(i).padStart(8, '0')}`, i * 10));
    rows.push(lookup('shop_b', '+34655123987', 5, 'agent_1'));
    for (const row of rows) {
      await old.execute(sql`
        INSERT INTO panel_lookup_audit (shop_id, agent_id, phone, status, cached, looked_up_at)
        VALUES (${row.shopId}, ${row.agentId}, ${row.phone}, ${row.status}, ${row.cached}, ${row.at.toISOString()})`);
    }

    const upgraded = await old.upgrade();
    try {
      const batches = (await upgraded.db.execute(sql`
        SELECT shop_id, cardinality(phones) AS lookups,
          (extract(epoch FROM oldest_at) * 1000)::float8 AS oldest_ms,
          (extract(epoch FROM newest_at) * 1000)::float8 AS newest_ms
        FROM panel_lookup_audit_batches ORDER BY shop_id, oldest_at`)) as unknown as {
        rows: { shop_id: string; lookups: number; oldest_ms: number; newest_ms: number }[];
      };
      assert.deepEqual(
        batches.rows.map((batch) => [
          batch.shop_id,
          batch.lookups,
          batch.oldest_ms - T0,
          batch.newest_ms - T0,
        ]),
        [
          ['shop_a', 200, 0, 1_990],
          ['shop_a', 200, 2_000, 3_990],
          ['shop_a', 50, 4_000, 4_490],
          ['shop_b', 1, 5, 5],
        ],
      );
      const audit = new LookupAudit({ db: upgraded.db, logger }, unflushed);
      assert.deepEqual(
        (await audit.read('shop_a', { limit: 450 })).entries.map((entry) => [entry.phone, entry.at]),
        expected(rows, 'shop_a', 450),
      );
      assert.deepEqual((await audit.read('shop_b', { limit: 5 })).entries, [
        {
          phone: '+34655123987',
          by: { kind: 'agent', agent_id: 'agent_1' },
          status: 'found',
          cached: false,
          at: new Date(T0 + 5).toISOString(),
        },
      ]);
      const oldTable = (await upgraded.db.execute(
        sql`SELECT to_regclass('panel_lookup_audit') AS still_there`,
      )) as unknown as { rows: { still_there: string | null }[] };
      assert.equal(oldTable.rows[0]?.still_there, null);
      await audit.close();
    } finally {
      await upgraded.close();
    }
  } finally {
    await old.dispose();
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a read by phone finds its batches through the GIN index on phones, not by reading every batch of the shop', async () => {
  // 5,000 batches of other phones and one of this phone, with statistics: the previous `= ANY(phones)`
  // could only walk them all.
  const { db } = database;
  await db.execute(sql`
    INSERT INTO panel_lookup_audit_batches
      (shop_id, oldest_at, newest_at, agent_ids, phones, statuses, cached, looked_up_at)
    SELECT 'shop_plan', t, t, ARRAY[NULL], ARRAY[CASE WHEN g = 2500 THEN '+34655123987' ELSE '+3460' || lpad(g::text, 7, '0') END],
      ARRAY['found'], ARRAY[false], ARRAY[t]
    FROM generate_series(1, 5000) AS g, LATERAL (SELECT timestamptz '2026-11-21T10:00:00Z' + g * interval '1 second' AS t) AS at`);
  await db.execute(sql`ANALYZE panel_lookup_audit_batches`);
  const rows = await db.execute(sql`EXPLAIN ${newestLookups('shop_plan', '+34655123987', 50)}`);
  const plan = (rows as unknown as { rows: Record<string, string>[] }).rows
    .map((row) => Object.values(row)[0])
    .join('\n');
  assert.match(plan, /panel_lookup_audit_batches_phones/, plan);
  assert.doesNotMatch(plan, /Seq Scan/, plan);
});
