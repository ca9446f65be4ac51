import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openPglite, queryRows } from './database.ts';

test('the embedded database runs with the shared buffers it is given (PARLEY_PGLITE_SHARED_BUFFERS_MB)', async () => {
  const database = await openPglite(undefined, { sharedBuffersMb: 16 });
  try {
    const [row] = await queryRows<{ value: string }>(
      database.db,
      sql`select current_setting('shared_buffers') as value`,
    );
    assert.equal(row?.value, '16MB');
  } finally {
    await database.close();
  }
});
