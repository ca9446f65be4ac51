import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { webhookDeliveries } from './schema.ts';
import { builtOnce } from './built-once.ts';

const render = (statement: ReturnType<ReturnType<typeof builtOnce>>) => new PgDialect().sqlToQuery(statement);

test('a statement built once renders as drizzle would, with each run’s values bound by name', () => {
  const template = sql`SELECT ${webhookDeliveries.eventId} FROM ${webhookDeliveries}
    WHERE ${webhookDeliveries.shopId} = ${sql.placeholder('shop')} AND ${webhookDeliveries.eventId} = ANY(${sql.placeholder('ids')}::text[])
    AND ${webhookDeliveries.shopId} <> ${sql.placeholder('shop')}`;
  const build = builtOnce(template);
  const first = render(build({ shop: 'shop_a', ids: ['e1', 'e2'] }));
  assert.equal(first.sql, new PgDialect().sqlToQuery(template).sql);
  assert.deepEqual(first.params, ['shop_a', ['e1', 'e2'], 'shop_a'], 'an array stays one value');
  assert.deepEqual(render(build({ shop: 'shop_b', ids: [] })).params, ['shop_b', [], 'shop_b']);
});

test('a statement built once binds a literal value the same on every run, and refuses a run missing a value', () => {
  const build = builtOnce(sql`SELECT ${true}, ${sql.placeholder('a')}, ${sql.placeholder('b')}`);
  assert.deepEqual(render(build({ a: 1, b: 2 })).params, [true, 1, 2]);
  assert.deepEqual(render(build({ a: 3, b: 4 })).params, [true, 3, 4]);
  assert.throws(() => build({ a: 1 }), /no value for the placeholder "b"/);
});
