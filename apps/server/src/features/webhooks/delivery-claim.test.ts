/**
 * The claim takes, per shop, at most the shop's free slots (its cap less its runs in progress) of its
 * oldest due deliveries, and the oldest of those up to the worker's free slots; all in one statement
 * (delivery-store.ts).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { TestApp } from '../../../test/helpers/test-app.ts';
import { shopWithEvents, webhookTestFile } from '../../../test/helpers/webhooks.ts';
import { claimDueDeliveries } from './delivery-store.ts';

let t: TestApp;
const file = webhookTestFile((app) => {
  t = app;
});

test('a claim takes each shop’s free slots of its oldest due deliveries, then the oldest up to the total', async () => {
  const a = await shopWithEvents(t, (await file.receiver()).url(), 3);
  const b = await shopWithEvents(t, (await file.receiver()).url(), 3);
  const claim = async (total: number, busy: [string, number][]) =>
    (await claimDueDeliveries(t.deps.db, t.clock.now(), { total, perKey: 2, busy: new Map(busy) })).map(
      (claimed) => claimed.eventId,
    );

  assert.deepEqual(await claim(1, []), [a.eventIds[0]], 'the total: the oldest of all');
  // Shop a has one run now (the claim above) and one slot left; shop b two.
  assert.deepEqual(await claim(10, [[a.shopId, 1]]), [a.eventIds[1], b.eventIds[0], b.eventIds[1]]);
  assert.deepEqual(
    await claim(10, [
      [a.shopId, 2],
      [b.shopId, 2],
    ]),
    [],
    'both shops at their cap',
  );
  assert.deepEqual(await claim(10, [[a.shopId, 2]]), [b.eventIds[2]], 'a shop at its cap is left alone');
});
