// list_webhook_deliveries must cost the same at 100,000 deliveries as at 1,000 (bench/growth-queries.ts):
// with every filter, the page is read from an index already in the listing's order, newest first, and
// the read stops after a page. A plan that sorts or scans a whole table would grow with the history, so
// the plans themselves are checked here, on PGlite and PostgreSQL. Sequential and bitmap scans and
// sorts are discouraged for the check: on a handful of rows the planner rightly prefers them, and the
// question is whether an index that matches exists (without one the plan still sorts or scans), not what
// the planner picks for a tiny table.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/database.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { pageQuery, type DeliveryQuery } from './delivery-list.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const filters: Record<string, Partial<DeliveryQuery>> = {
  none: {},
  'a second page': { after: { createdAt: new Date('2026-06-01T00:00:00Z'), eventId: 'evt_x' } },
  since: { since: new Date('2026-06-01T00:00:00Z') },
  event: { event: 'followup.converted' },
  'event, second page': {
    event: 'followup.converted',
    after: { createdAt: new Date('2026-06-01T00:00:00Z'), eventId: 'evt_x' },
  },
  ...Object.fromEntries(
    (['pending', 'failed', 'delivering', 'delivered', 'exhausted'] as const).map((status) => [
      `status ${status}`,
      { status },
    ]),
  ),
  'status failed, since, second page': {
    status: 'failed',
    since: new Date('2026-05-01T00:00:00Z'),
    after: { createdAt: new Date('2026-06-01T00:00:00Z'), eventId: 'evt_x' },
  },
};

test('every filter of list_webhook_deliveries reads its page from an index in order, without sorting', async () => {
  const { shopId } = await t.createShop();
  await t.deps.db.transaction(async (tx) => {
    for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort']) {
      await tx.execute(sql`SELECT set_config(${setting}, 'off', true)`);
    }
    for (const [name, filter] of Object.entries(filters)) {
      const query = pageQuery(tx, shopId, { limit: 20, ...filter });
      const plan = (await queryRows<Record<string, string>>(tx, sql`EXPLAIN ${query}`))
        .map((row) => Object.values(row)[0])
        .join('\n');
      assert.doesNotMatch(plan, /Sort|Seq Scan/, `${name}:\n${plan}`);
    }
  });
});
