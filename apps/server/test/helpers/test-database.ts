/**
 * Each test file gets its own database, so files run in parallel and leave nothing behind:
 * an in-memory PGlite, or (when PARLEY_TEST_DB=postgres) a fresh database created on the server
 * named by PARLEY_TEST_DATABASE_URL and dropped on close.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { attachPglite, migrationsFolder, openPostgres, type Database } from '../../src/db/database.ts';

export type TestDatabaseKind = 'pglite' | 'postgres';

/**
 * A copy of the migrations folder as an earlier release shipped it: its first `count` migrations.
 * `extra` adds files after them (name → SQL), each with a journal entry newer than the last kept.
 */
export function earlierReleaseMigrations(count: number, extra: Record<string, string> = {}): string {
  const folder = mkdtempSync(join(tmpdir(), 'parley-migrations-'));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
    entries: Array<Record<string, unknown> & { when: number }>;
  };
  journal.entries = journal.entries.slice(0, count);
  for (const [tag, text] of Object.entries(extra)) {
    const last = journal.entries[journal.entries.length - 1];
    journal.entries.push({ ...last, idx: journal.entries.length, when: (last?.when ?? 0) + 1, tag });
    writeFileSync(join(folder, `${tag}.sql`), text);
  }
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.PARLEY_TEST_DB ?? 'pglite';
  if (kind !== 'pglite' && kind !== 'postgres')
    throw new Error(`PARLEY_TEST_DB must be pglite or postgres, got ${kind}`);
  return kind;
}

export function testDatabaseUrl(): string {
  const url = process.env.PARLEY_TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'PARLEY_TEST_DB=postgres needs PARLEY_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test).',
    );
  }
  return url;
}

export async function openTestDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<Database> {
  if (kind === 'pglite') return attachPglite(new PGlite({ loadDataDir: await pgliteTemplate() }));
  const scratch = await createScratchPostgresDatabase();
  const database = await openPostgres(scratch.url, { poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/**
 * An empty database on the test server (or the server of `adminUrl`), for a test or a benchmark that
 * hands its URL to a server process.
 */
export async function createScratchPostgresDatabase(
  adminUrl: string = testDatabaseUrl(),
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => {}),
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

/**
 * Creating and migrating a PGlite takes ~3.5 s; loading a dump of a migrated one takes ~1 s.
 * The dump is cached in the temp dir under a hash of the migrations, so it is rebuilt only
 * when a migration changes, and written by rename so parallel test files never read half a file.
 */
async function pgliteTemplate(): Promise<Blob> {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (file.endsWith('.sql')) hash.update(file).update(readFileSync(join(migrationsFolder, file)));
  }
  const path = join(tmpdir(), `parley-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
  if (!existsSync(path)) {
    const client = new PGlite();
    const database = await attachPglite(client);
    const dump = await client.dumpDataDir('none');
    await database.close();
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  }
  return new Blob([readFileSync(path)]);
}
