/**
 * A failed statement logged as `err` (directly, or as the cause of another error) names the
 * statement and the driver's error, never the row's values: real statements failing on a real
 * database (PGlite, or PostgreSQL with PARLEY_TEST_DB=postgres), logged through the app's logger.
 */
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { conversationChats, shops } from '../db/schema.ts';
import { openTestDatabase } from '../../test/helpers/test-database.ts';
import { statementName } from './log-errors.ts';
import { createLogger } from './logger.ts';

const CUSTOMER = 'Lucía Fernández Ortega';
const PHONE = '+34655123987';

let database: Database;
before(async () => {
  database = await openTestDatabase();
  await database.db.insert(shops).values({ id: 'shop_log', name: 'Shop', requestSigningSecret: 'v2.x' });
});
after(() => database.close());

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('the statement was expected to fail');
}

function logged(record: Record<string, unknown>): string {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  createLogger('info', destination).error(record, 'something failed');
  assert.equal(lines.length, 1);
  return lines[0]!;
}

test('a unique violation logs the statement and the constraint, not the row nor the detail', async () => {
  const insertChat = () =>
    database.db
      .insert(conversationChats)
      .values({ shopId: 'shop_log', chatPhone: PHONE, chatName: CUSTOMER, firstSeenAt: new Date() });
  await insertChat();
  const error = await failure(insertChat);
  assert.match(
    String((error as Error).message),
    new RegExp(CUSTOMER),
    'drizzle puts the values in its message',
  );

  const line = logged({ err: error });
  assert.ok(!line.includes(CUSTOMER), line);
  assert.ok(!line.includes(PHONE), line);
  const { err } = JSON.parse(line) as { err: { message: string; stack: string; code?: string } };
  assert.match(err.message, /^Failed query: insert into conversation_chats/);
  assert.match(err.stack, /^\w+: Failed query: insert into conversation_chats\n\s+at /);
  assert.match(line, /duplicate key value violates unique constraint/);
});

test('the same holds when the failed statement is the cause of another error', async () => {
  const cause = await failure(() =>
    database.db
      .update(shops)
      .set({ name: `${CUSTOMER}\u0000` })
      .where(eq(shops.id, 'shop_log')),
  );
  const wrapped = new Error('could not rename the shop', { cause });
  const line = logged({ err: wrapped, error: cause });
  assert.ok(!line.includes(CUSTOMER), line);
  assert.match(line, /could not rename the shop/);
  assert.match(line, /Failed query: update shops/);
});

test('statement names say what is done to which table', () => {
  assert.equal(statementName('insert into "shops" ("id") values ($1)'), 'insert into shops');
  assert.equal(statementName('update "agents" set "name" = $1 where "agents"."id" = $2'), 'update agents');
  assert.equal(statementName('delete from "panel_links" where "id" = $1'), 'delete from panel_links');
  assert.equal(
    statementName('select "id", "name" from "shops" where "shops"."id" = $1'),
    'select from shops',
  );
  assert.equal(statementName('with x as (select 1) select * from x'), 'with … from x');
});
