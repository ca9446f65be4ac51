// Parley's PGlite migrator applies what drizzle's would and records it the same way, so that either
// carries on a database the other migrated; a database with every migration is left as it is.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate as drizzleMigrate } from 'drizzle-orm/pglite/migrator';
import { earlierReleaseMigrations } from '../../test/helpers/test-database.ts';
import { migrationsFolder } from './database.ts';
import { migratePglite } from './pglite-migrate.ts';

const recorded = async (client: PGlite) =>
  (
    await client.query<{ hash: string; created_at: string }>(
      'select hash, created_at::text from drizzle.__drizzle_migrations order by created_at',
    )
  ).rows.map((row) => ({ hash: row.hash, when: Number(row.created_at) }));

const expected = readMigrationFiles({ migrationsFolder }).map((file) => ({
  hash: file.hash,
  when: file.folderMillis,
}));

test('a new database gets every migration, recorded as drizzle records them; a second run changes nothing', async () => {
  const client = new PGlite();
  try {
    await migratePglite(client, migrationsFolder);
    assert.deepEqual(await recorded(client), expected);
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_tables where schemaname = 'public' and tablename = 'webhook_deliveries'",
    );
    assert.equal(rows[0]?.n, 1);

    await migratePglite(client, migrationsFolder);
    assert.deepEqual(await recorded(client), expected);
    // drizzle's own migrator finds nothing to do on it either.
    await drizzleMigrate(drizzle({ client }), { migrationsFolder });
    assert.deepEqual(await recorded(client), expected);
  } finally {
    await client.close();
  }
});

test("a database drizzle's migrator left at an earlier release gets the rest", async () => {
  const client = new PGlite();
  try {
    await drizzleMigrate(drizzle({ client }), { migrationsFolder: earlierReleaseMigrations(1) });
    assert.deepEqual(await recorded(client), expected.slice(0, 1));
    await migratePglite(client, migrationsFolder);
    assert.deepEqual(await recorded(client), expected);
  } finally {
    await client.close();
  }
});

test('a failing migration leaves nothing of itself and nothing recorded', async () => {
  const folder = earlierReleaseMigrations(1, {
    broken: 'CREATE TABLE half_done (a int);\nSELECT * FROM no_such_table;',
  });
  const client = new PGlite();
  try {
    await assert.rejects(migratePglite(client, folder), /no_such_table/);
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_tables where tablename in ('half_done', 'shops')",
    );
    assert.equal(rows[0]?.n, 0, 'the whole batch was rolled back, the first file included');
  } finally {
    await client.close();
  }
});
