// A cached read on PGlite is served again only while no statement the client ran since may have
// changed its table: a write to it, a delete cascading into it, a schema change, and a transaction or
// savepoint rolled back after the read all make it read again.
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { createLocalWrites, type LocalWrites } from './local-writes.ts';
import { preparedStatementClient, type PgliteQueryClient } from './pglite-statements.ts';
import { createWriteCheckedCache, type WriteCheckedCache } from './write-checked-cache.ts';

let pglite: PGlite;
let writes: LocalWrites;
let client: PgliteQueryClient;
before(async () => {
  pglite = new PGlite();
  await pglite.waitReady;
  await pglite.exec(`
    CREATE TABLE parents (id text PRIMARY KEY);
    CREATE TABLE children (id serial PRIMARY KEY, parent_id text NOT NULL REFERENCES parents (id) ON DELETE CASCADE);
    CREATE TABLE others (id text PRIMARY KEY);
  `);
  // As the schema would declare it (write-reach.pglite.test.ts holds Parley's to its catalog).
  writes = createLocalWrites(new Map([['parents', ['children']]]));
  client = preparedStatementClient(pglite, { writes });
});
after(() => pglite.close());

let cache: WriteCheckedCache<number>;
let loads: number;
beforeEach(async () => {
  await pglite.exec(
    'DELETE FROM children; DELETE FROM parents; INSERT INTO parents VALUES ($$p$$), ($$q$$);',
  );
  cache = createWriteCheckedCache<number>(writes, ['children'], { maxEntries: 2 });
  loads = 0;
});

const countChildren = async (parent: string, db: Pick<PgliteQueryClient, 'query'> = client) => {
  loads += 1;
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from children where parent_id = $1',
    [parent],
  );
  return rows[0]!.n;
};
const read = (parent: string) => cache.read(parent, () => countChildren(parent));

test('serves a read again until a statement changes its table, whatever else changes', async () => {
  assert.equal(await read('p'), 0);
  assert.equal(await read('p'), 0);
  assert.equal(loads, 1);

  await client.query('insert into others (id) values ($1)', ['x']);
  assert.equal(await read('p'), 0);
  assert.equal(loads, 1, 'another table changed');

  await client.query('insert into children (parent_id) values ($1)', ['p']);
  assert.equal(await read('p'), 1);
  assert.equal(loads, 2);
});

test('a delete that cascades into its table makes it read again', async () => {
  await client.query('insert into children (parent_id) values ($1)', ['p']);
  assert.equal(await read('p'), 1);
  await client.query('delete from parents where id = $1', ['p']);
  assert.equal(await read('p'), 0);
  assert.equal(loads, 2);
});

test('a schema change makes every read stale', async () => {
  assert.equal(await read('p'), 0);
  await client.query('create index if not exists children_by_parent on children (parent_id)');
  assert.equal(await read('p'), 0);
  assert.equal(loads, 2);
});

test('a read made inside a transaction that rolls back is not served afterwards', async () => {
  await assert.rejects(
    client.transaction(async (tx) => {
      await tx.query('insert into children (parent_id) values ($1)', ['p']);
      assert.equal(await cache.read('p', () => countChildren('p', tx)), 1, 'the transaction sees its row');
      throw new Error('roll back');
    }),
    /roll back/,
  );
  assert.equal(await read('p'), 0);
  assert.equal(loads, 2);
});

test('a read made after a savepoint that is rolled back to is not served afterwards', async () => {
  await client.transaction(async (tx) => {
    await tx.query('savepoint sp_inner');
    await tx.query('insert into children (parent_id) values ($1)', ['p']);
    assert.equal(await cache.read('p', () => countChildren('p', tx)), 1, 'the savepoint sees its row');
    await tx.query('rollback to savepoint sp_inner');
  });
  assert.equal(await read('p'), 0);
  assert.equal(loads, 2);
});

test('keeps the newest reads only, up to its bound', async () => {
  await read('p');
  await read('q');
  await read('r');
  assert.equal(loads, 3);
  await read('r');
  await read('q');
  assert.equal(loads, 3);
  await read('p');
  assert.equal(loads, 4, 'the oldest read was dropped');
});

test('without a record of changes (PostgreSQL) it reads every time', async () => {
  const uncached = createWriteCheckedCache<number>(undefined, ['children'], { maxEntries: 2 });
  await uncached.read('p', () => countChildren('p'));
  await uncached.read('p', () => countChildren('p'));
  assert.equal(loads, 2);
});
