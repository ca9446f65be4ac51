/**
 * The database factory: PGlite under the data dir by default, PostgreSQL when DATABASE_URL is set.
 * Both give the same drizzle API; migrations are applied on open.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PostgresOptions } from './postgres-database.ts';
import * as schema from './schema.ts';
import { createLocalWrites, writeReachOf, type LocalWrites } from './local-writes.ts';
import { migratePglite } from './pglite-migrate.ts';
import { preparedStatementClient } from './pglite-statements.ts';
import { collectGarbage } from '../lib/collect-garbage.ts';
import { serverRoot } from '../lib/server-root.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** What `db.transaction` hands its callback; use it wherever a write must commit with another. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** The record of changes, where this process is the database's only writer (PGlite): local-writes.ts. */
  localWrites?: LocalWrites;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` once its transaction commits, from any process
   * sharing the database, with the NOTIFY's payload (none when notifications may have been lost).
   * Resolves with the function that stops listening. On PostgreSQL every channel shares one
   * connection that reconnects on its own (postgres-listener.ts).
   */
  listen(channel: string, onNotify: (payload?: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The rows of a raw statement: both drivers (node-postgres, PGlite) answer `{ rows }`. */
export async function queryRows<Row>(db: Db | Tx, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

export const migrationsFolder = join(serverRoot, 'src/db/migrations');

/**
 * `dataDir` undefined means in-memory. `sharedBuffersMb` is PostgreSQL's `shared_buffers`: PGlite keeps
 * them in the process's WebAssembly memory from the start (docs/operations.md#memory).
 */
export async function openPglite(
  dataDir: string | undefined,
  { sharedBuffersMb }: { sharedBuffersMb?: number } = {},
): Promise<Database> {
  const fresh = dataDir === undefined || !existsSync(join(dataDir, 'PG_VERSION'));
  const options =
    sharedBuffersMb === undefined ? {} : { postgresqlconf: [`shared_buffers=${sharedBuffersMb}MB`] };
  const open = () => (dataDir === undefined ? new PGlite(options) : new PGlite(dataDir, options));
  const database = await attachPglite(open());
  if (!fresh || dataDir === undefined) return database;
  // A new database's initdb grows PGlite's memory to ~0.8 GB, which WebAssembly never gives back:
  // the instance that ran it is closed and collected, and a fresh one opens the database it made.
  await database.close();
  collectGarbage();
  return attachPglite(open());
}

/** Migrates and wraps a PGlite the caller created (tests start one from a pre-migrated template). */
export async function attachPglite(client: PGlite): Promise<Database> {
  await client.waitReady;
  // On PGlite's own path: migration statements are not worth keeping prepared.
  await migratePglite(client, migrationsFolder);
  const localWrites = createLocalWrites(writeReachOf(schema));
  const db = drizzlePglite({
    client: preparedStatementClient(client, { writes: localWrites }) as unknown as PGlite,
    schema,
  }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    localWrites,
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, (payload) => onNotify(payload));
      return () => unlisten();
    },
    close: () => client.close(),
  };
}

/**
 * PostgreSQL (DATABASE_URL). Its driver and code are loaded here, on demand: a process on PGlite
 * never loads `pg` (apps/server/scripts/build.mjs splits them into a chunk of their own).
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const { openPostgresDatabase } = await import('./postgres-database.ts');
  return openPostgresDatabase(url, options);
}
