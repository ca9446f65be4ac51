/**
 * The LISTEN connection on a real PostgreSQL: handlers of several channels on one connection get
 * their payloads; when the server terminates that connection it is opened again by itself, every
 * handler is told without a payload (messages may have been lost), and notifications flow again.
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createScratchPostgresDatabase } from '../../test/helpers/test-database.ts';
import { DEFAULT_CONNECTION_POLICY } from './pg-connection.ts';
import { createPostgresListener, type PostgresListener } from './postgres-listener.ts';

let database: { url: string; drop(): Promise<void> };
let sender: pg.Client;
let listener: PostgresListener;
const states: string[] = [];

before(async () => {
  database = await createScratchPostgresDatabase();
  sender = new pg.Client({ connectionString: database.url });
  await sender.connect();
  listener = createPostgresListener(database.url, {
    policy: { ...DEFAULT_CONNECTION_POLICY, onConnectionError: () => {} },
    onStateChange: (state) => states.push(state),
    firstReconnectDelayMs: 20,
  });
});
after(async () => {
  await listener.close();
  await sender.end();
  await database.drop();
});

/** What each handler got, in order: a payload, or `undefined` for "messages may have been lost". */
function recorder() {
  const got: Array<string | undefined> = [];
  const events = new EventEmitter();
  return {
    got,
    handler: (payload?: string) => {
      got.push(payload);
      events.emit('call');
    },
    async next(count: number) {
      while (got.length < count) await once(events, 'call');
    },
  };
}

test('two channels on one connection, restored after pg_terminate_backend, a removed handler hears nothing', async () => {
  const wake = recorder();
  const invalidate = recorder();
  const extra = recorder();
  await listener.listen('parley_test_wake', wake.handler);
  await listener.listen('parley_test_invalidate', invalidate.handler);
  const removeExtra = await listener.listen('parley_test_invalidate', extra.handler);

  await sender.query(`SELECT pg_notify('parley_test_wake', 'a'), pg_notify('parley_test_invalidate', 'b')`);
  await Promise.all([wake.next(1), invalidate.next(1), extra.next(1)]);
  assert.deepEqual([wake.got, invalidate.got, extra.got], [['a'], ['b'], ['b']]);

  const { rows } = await sender.query<{ count: string }>(
    `SELECT count(pg_terminate_backend(pid)) AS count FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  assert.equal(rows[0]?.count, '1', 'one connection for every channel');
  await Promise.all([wake.next(2), invalidate.next(2)]);
  assert.deepEqual([wake.got[1], invalidate.got[1]], [undefined, undefined]);
  assert.deepEqual(states, ['lost', 'restored']);

  await removeExtra();
  await sender.query(`SELECT pg_notify('parley_test_wake', 'c'), pg_notify('parley_test_invalidate', 'd')`);
  await Promise.all([wake.next(3), invalidate.next(3)]);
  assert.deepEqual(
    [wake.got, invalidate.got],
    [
      ['a', undefined, 'c'],
      ['b', undefined, 'd'],
    ],
  );
  assert.deepEqual(extra.got, ['b', undefined]);
});
