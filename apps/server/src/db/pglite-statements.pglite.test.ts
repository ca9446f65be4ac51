// The prepared-statement client answers as PGlite's own `query` does (values, types, errors, locks,
// notifications), prepares each SQL text once, keeps a bounded number, and survives a table changing
// under a prepared statement.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { PGlite, protocol } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { preparedStatementClient, type PgliteQueryClient } from './pglite-statements.ts';
import { PLANNED_PER_EXECUTION, plannedPerExecution } from './planned-per-execution.ts';

let pglite: PGlite;
let client: PgliteQueryClient;
before(async () => {
  pglite = new PGlite();
  await pglite.waitReady;
  await pglite.exec(`
    CREATE TABLE items (id text PRIMARY KEY, n integer NOT NULL, tags text[] NOT NULL, data jsonb, at timestamptz);
  `);
  client = preparedStatementClient(pglite, { maxStatements: 5 });
});
after(() => pglite.close());

const preparedCount = async (text: string) =>
  (
    await pglite.query<{ count: number }>(
      'select count(*)::int as count from pg_prepared_statements where statement = $1',
      [text],
    )
  ).rows[0]!.count;

test('answers with the values, types and counts PGlite itself gives, in both row modes', async () => {
  const insert = 'insert into items (id, n, tags, data, at) values ($1, $2, $3, $4, $5)';
  const params = ['a', 7, ['x', 'y,z'], { nested: [1, null] }, new Date('2026-12-07T10:00:00Z')];
  const inserted = await client.query(insert, params);
  assert.equal(inserted.affectedRows, 1);
  await pglite.query(insert, ['b', 8, [], null, null]);

  const select = 'select id, n, tags, data, at, n > $1 as big from items where id = any($2) order by id';
  for (const rowMode of ['object', 'array'] as const) {
    const ours = await client.query(select, [7, ['a', 'b']], { rowMode });
    const theirs = await pglite.query(select, [7, ['a', 'b']], { rowMode });
    assert.deepEqual(ours.rows, theirs.rows);
    assert.deepEqual(ours.fields, theirs.fields);
  }
  const [first] = (await client.query<{ tags: string[]; data: unknown; at: Date }>(select, [0, ['a']])).rows;
  assert.deepEqual(first?.tags, ['x', 'y,z']);
  assert.deepEqual(first?.data, { nested: [1, null] });
  assert.equal(first?.at.toISOString(), '2026-12-07T10:00:00.000Z');
});

test('prepares a SQL text once and runs it again by name', async () => {
  const text = 'select n from items where id = $1';
  assert.equal(await preparedCount(text), 0);
  for (let i = 0; i < 3; i++) assert.deepEqual((await client.query(text, ['a'])).rows, [{ n: 7 }]);
  assert.equal(await preparedCount(text), 1);
});

test("runs a statement marked as planned per execution on PGlite's own path, unprepared", async () => {
  const marked = new PgDialect().sqlToQuery(plannedPerExecution(sql`select n from items where id = ${'a'}`));
  assert.ok(marked.sql.startsWith(PLANNED_PER_EXECUTION));
  for (let i = 0; i < 2; i++)
    assert.deepEqual((await client.query(marked.sql, marked.params)).rows, [{ n: 7 }]);
  assert.equal(await preparedCount(marked.sql), 0);
});

test('keeps at most maxStatements prepared, closing the least recently used', async () => {
  const texts = Array.from({ length: 7 }, (_, i) => `select ${i} as v`);
  for (const text of texts) await client.query(text);
  const kept = await pglite.query<{ statement: string }>(
    "select statement from pg_prepared_statements where name like 'parley_%'",
  );
  assert.equal(kept.rows.length, 5);
  assert.equal(await preparedCount(texts[0]!), 0);
  assert.equal(await preparedCount(texts[6]!), 1);
});

test('fails as PGlite does, naming the statement, and the next statement works', async () => {
  await assert.rejects(client.query('select * from no_such_table'), (error: unknown) => {
    assert.ok(error instanceof protocol.messages.DatabaseError);
    assert.equal(error.code, '42P01');
    assert.equal((error as unknown as { query: string }).query, 'select * from no_such_table');
    return true;
  });
  await assert.rejects(
    client.query('insert into items (id, n, tags) values ($1, $2, $3)', ['a', 1, []]),
    (error: unknown) => (error as { code?: string }).code === '23505',
  );
  assert.deepEqual((await client.query('select count(*)::int as c from items')).rows, [{ c: 2 }]);
});

test('runs a statement whose table changed under it again, freshly prepared', async () => {
  await pglite.exec('CREATE TABLE reshaped (a integer); INSERT INTO reshaped VALUES (1);');
  const text = 'select * from reshaped';
  assert.deepEqual((await client.query(text)).rows, [{ a: 1 }]);
  await pglite.exec('ALTER TABLE reshaped ADD COLUMN b integer DEFAULT 2');
  assert.deepEqual((await client.query(text)).rows, [{ a: 1, b: 2 }]);
  // Inside a transaction the error stands (the transaction is aborted), and the statement is forgotten.
  await pglite.exec('ALTER TABLE reshaped ADD COLUMN c integer DEFAULT 3');
  await assert.rejects(
    client.transaction((tx) => tx.query(text)),
    (error: unknown) => (error as { code?: string }).code === '0A000',
  );
  assert.deepEqual((await client.query(text)).rows, [{ a: 1, b: 2, c: 3 }]);
});

test('a statement outside a transaction waits for it, and sees only what it committed', async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let inside!: () => void;
  const entered = new Promise<void>((resolve) => (inside = resolve));
  let answered = false;
  let answeredDuringTransaction: boolean | undefined;
  const transaction = client.transaction(async (tx) => {
    await tx.query('update items set n = n + 100 where id = $1', ['b']);
    inside();
    await held;
    await tx.query('update items set n = n + 100 where id = $1', ['b']);
    answeredDuringTransaction = answered;
  });
  await entered;
  const outside = client.query<{ n: number }>('select n from items where id = $1', ['b']);
  void outside.then(() => (answered = true));
  release();
  await transaction;
  assert.equal(answeredDuringTransaction, false);
  assert.deepEqual((await outside).rows, [{ n: 208 }]);

  await assert.rejects(
    client.transaction(async (tx) => {
      await tx.query('update items set n = 0 where id = $1', ['b']);
      throw new Error('changed my mind');
    }),
    /changed my mind/,
  );
  assert.deepEqual((await client.query('select n from items where id = $1', ['b'])).rows, [{ n: 208 }]);
});

test('delivers the notifications its statements raise', async () => {
  let delivered!: (payload: string) => void;
  const payload = new Promise<string>((resolve) => (delivered = resolve));
  await pglite.listen('prepared_test', delivered);
  await client.query("select pg_notify('prepared_test', $1)", ['hello']);
  assert.equal(await payload, 'hello');
});
