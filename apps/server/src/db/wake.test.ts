import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { openTestDatabase } from '../../test/helpers/test-database.ts';
import { notifyWorkers, WAKE_CHANNEL } from './wake.ts';

test('a wake-up sent in a transaction reaches listeners when it commits, never when it rolls back', async () => {
  const database = await openTestDatabase();
  try {
    let wakes = 0;
    let arrived: () => void = () => {};
    const unlisten = await database.listen(WAKE_CHANNEL, () => {
      wakes++;
      arrived();
    });
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await notifyWorkers(tx);
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    const committed = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let wakesInside = -1;
    await database.db.transaction(async (tx) => {
      await notifyWorkers(tx);
      wakesInside = wakes;
    });
    await committed;
    // Notifications arrive in commit order, so a leaked rolled-back one would have come first.
    assert.deepEqual([wakesInside, wakes], [0, 1]);
    await unlisten();
  } finally {
    await database.close();
  }
});
