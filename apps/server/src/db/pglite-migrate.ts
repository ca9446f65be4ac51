/**
 * Parley's migrations on PGlite, recorded as drizzle's migrator records them (a row per file in
 * `drizzle.__drizzle_migrations`: the file's sha256 and its journal time), so that either can carry
 * on a database the other migrated. It applies what drizzle's would, every file newer than the newest
 * recorded, in one transaction, and differs in what a start pays
 * (docs/decisions/performance-notes.md#what-a-start-loads):
 *
 * - a database that has every migration costs one read, where drizzle's runs its schema statements
 *   and an empty transaction first;
 * - a pending file runs as one simple-query exchange, where drizzle's makes a round trip of its own
 *   for each statement, which on PGlite is six calls into WebAssembly.
 */
import type { PGlite } from '@electric-sql/pglite';
import { protocol } from '@electric-sql/pglite';
import { readMigrationFiles } from 'drizzle-orm/migrator';

export async function migratePglite(client: PGlite, migrationsFolder: string): Promise<void> {
  const newestApplied = await readNewestApplied(client);
  const pending = readMigrationFiles({ migrationsFolder }).filter(
    (migration) => newestApplied === undefined || newestApplied < migration.folderMillis,
  );
  if (pending.length === 0) return;
  await client.exec(`
    CREATE SCHEMA IF NOT EXISTS drizzle;
    CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
  `);
  await client.transaction(async (tx) => {
    for (const migration of pending) {
      // The file as written: drizzle-kit's breakpoints only split it, and the split removed them.
      await tx.exec(migration.sql.join('\n'));
      await tx.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [
        migration.hash,
        migration.folderMillis,
      ]);
    }
  });
}

/** The journal time of the newest migration recorded; undefined on a database none ran on. */
async function readNewestApplied(client: PGlite): Promise<number | undefined> {
  try {
    const { rows } = await client.query<{ applied: string | null }>(
      'select max(created_at)::text as applied from drizzle.__drizzle_migrations',
    );
    const applied = rows[0]?.applied;
    return applied === null || applied === undefined ? undefined : Number(applied);
  } catch (error) {
    // undefined_table, or invalid_schema_name: no migration has run here yet.
    if (error instanceof protocol.messages.DatabaseError && ['42P01', '3F000'].includes(error.code ?? ''))
      return undefined;
    throw error;
  }
}
