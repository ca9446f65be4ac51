// The tables a write reaches, as local-writes.ts reads them from the drizzle schema, are what the
// migrated database does: the same cascading foreign keys, and no trigger or function that could
// write where a statement's text does not say.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../../test/helpers/test-database.ts';
import { queryRows } from './database.ts';
import { tableName, writeReachOf } from './local-writes.ts';
import * as schema from './schema.ts';

const sorted = (reach: ReadonlyMap<string, readonly string[]>) =>
  Object.fromEntries([...reach].map(([parent, children]) => [parent, [...children].sort()]).sort());

test("the schema's write reach is the migrated database's, which has no triggers or functions of its own", async () => {
  const database = await openTestDatabase('pglite');
  try {
    const cascades = await queryRows<{ parent: string; child: string }>(
      database.db,
      sql`select confrelid::regclass::text as parent, conrelid::regclass::text as child
            from pg_constraint
           where contype = 'f' and (confdeltype in ('c', 'n', 'd') or confupdtype in ('c', 'n', 'd'))`,
    );
    const catalog = new Map<string, string[]>();
    for (const { parent, child } of cascades) {
      catalog.set(tableName(parent), [...(catalog.get(tableName(parent)) ?? []), tableName(child)]);
    }
    assert.deepEqual(sorted(writeReachOf(schema)), sorted(catalog));
    assert.ok(catalog.get('shops')?.includes('webhook_deliveries'), 'deleting a shop deletes its deliveries');

    const triggers = await queryRows(database.db, sql`select tgname from pg_trigger where not tgisinternal`);
    assert.deepEqual(triggers, []);
    const functions = await queryRows(
      database.db,
      sql`select proname from pg_proc join pg_namespace on pg_namespace.oid = pronamespace
           where nspname not in ('pg_catalog', 'information_schema')`,
    );
    assert.deepEqual(functions, []);
  } finally {
    await database.close();
  }
});
