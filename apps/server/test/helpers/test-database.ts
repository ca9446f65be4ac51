/**
 * Each test file gets its own database, so files run in parallel and leave nothing behind:
 * an in-memory PGlite, or (when PARLEY_TEST_DB=postgres) a fresh database created on the server
 * named by PARLEY_TEST_DATABASE_URL and dropped on close.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/db/database.ts';

export type TestDatabaseKind = 'pglite' | 'postgres';

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.PARLEY_TEST_DB ?? 'pglite';
  if (kind !== 'pglite' && kind !== 'postgres') throw new Error(`PARLEY_TEST_DB must be pglite or postgres, got ${kind}`);
  return kind;
}

export function testDatabaseUrl(): string {
  const url = process.env.PARLEY_TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    throw new Error('PARLEY_TEST_DB=postgres needs PARLEY_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test).');
  }
  return url;
}

export async function openTestDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<Database> {
  if (kind === 'pglite') return openPglite(undefined);
  const adminUrl = testDatabaseUrl();
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
