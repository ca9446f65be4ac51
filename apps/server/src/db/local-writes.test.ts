// Which tables a statement changes, read from its text (drizzle's own SQL among it), and the order of
// changes a cache compares its reads with.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { ALL_TABLES, createLocalWrites, tableName, tablesChangedBy } from './local-writes.ts';
import { plannedPerExecution } from './planned-per-execution.ts';
import { apiTokens, shops, webhookConfigs, webhookDeliveries } from './schema.ts';

const db = drizzle.mock();
const now = new Date('2026-12-07T10:00:00Z');

test("reads drizzle's statements: reads change nothing, writes change the table they name", () => {
  const cases: Array<[string, readonly string[]]> = [
    [db.select().from(shops).where(eq(shops.id, 's')).toSQL().sql, []],
    [db.select().from(webhookConfigs).where(eq(webhookConfigs.shopId, 's')).for('update').toSQL().sql, []],
    [
      db
        .insert(webhookConfigs)
        .values({ shopId: 's', enabled: true, updatedAt: now })
        .onConflictDoUpdate({ target: webhookConfigs.shopId, set: { enabled: true } })
        .toSQL().sql,
      // `do update set` reads as a table named "set": an extra name that matches no table is harmless.
      ['webhook_configs', 'set'],
    ],
    [db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, 't')).toSQL().sql, ['api_tokens']],
    [
      db.delete(webhookDeliveries).where(eq(webhookDeliveries.shopId, 's')).toSQL().sql,
      ['webhook_deliveries'],
    ],
    ['with gone as (delete from "shops" where true returning id) select count(*) from gone', ['shops']],
    ['insert into "public"."shops" (id) select id from "webhook_configs"', ['shops']],
  ];
  for (const [text, expected] of cases) assert.deepEqual(tablesChangedBy(text), expected, text);
});

test('a statement marked as planned per execution is read past its comment', () => {
  const marked = plannedPerExecution(sql`select 1`);
  const text = db.execute(marked).getQuery().sql;
  assert.deepEqual(tablesChangedBy(text), []);
  assert.deepEqual(tablesChangedBy(`/* planned per execution */\n  delete from "shops"`), ['shops']);
  assert.deepEqual(tablesChangedBy('-- a note\nUPDATE Shops SET name = 1'), ['shops']);
});

test('commands that change no rows change nothing; schema changes and the unclear change everything', () => {
  for (const text of [
    'begin',
    'COMMIT',
    'savepoint s1',
    'set local x = 1',
    'listen x',
    'analyze shops',
    'vacuum',
  ]) {
    assert.deepEqual(tablesChangedBy(text), [], text);
  }
  for (const text of [
    'create table x (a int)',
    'ALTER TABLE shops ADD COLUMN b int',
    'truncate shops',
    'copy shops from stdin',
    'explain analyze delete from shops',
    'rollback to savepoint sp1',
    'call do_things()',
  ]) {
    assert.equal(tablesChangedBy(text), ALL_TABLES, text);
  }
});

test('a table is named without its schema, unquoted, folded to lower case unless quoted', () => {
  assert.equal(tableName('"public"."webhook_deliveries"'), 'webhook_deliveries');
  assert.equal(tableName('public . Shops'), 'shops');
  assert.equal(tableName('"Mixed""Case"'), 'Mixed"Case');
});

test('a change reaches the tables its foreign keys cascade to', () => {
  const writes = createLocalWrites(
    new Map([
      ['shops', ['webhook_configs', 'webhook_deliveries']],
      ['webhook_deliveries', ['webhook_attempts']],
    ]),
  );
  const start = writes.mark();
  assert.equal(writes.changedSince(start, ['webhook_attempts']), false);

  writes.record([]);
  assert.equal(writes.mark(), start, 'a read moves nothing');
  writes.record(['api_tokens']);
  assert.equal(writes.changedSince(start, ['webhook_attempts', 'shops']), false);
  assert.equal(writes.changedSince(start, ['api_tokens']), true);

  const beforeDelete = writes.mark();
  writes.record(['shops']);
  assert.equal(writes.changedSince(beforeDelete, ['webhook_attempts']), true, 'two cascades away');
  assert.equal(writes.changedSince(writes.mark(), ['webhook_attempts']), false, 'not after the change');

  const beforeSchema = writes.mark();
  writes.record(ALL_TABLES);
  assert.equal(writes.changedSince(beforeSchema, ['api_tokens']), true);
});
