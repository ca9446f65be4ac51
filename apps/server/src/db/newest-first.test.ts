// What newestFirst is for: an index declared with `.desc()` gives its order, so PostgreSQL reads the
// newest rows off the index instead of sorting every matching row. Scans that ignore order are turned
// off, so the plan has no cheaper way out than the index; a Sort node means the index could not serve.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { desc, eq, sql, type SQL } from 'drizzle-orm';
import { openTestDatabase } from '../../test/helpers/test-database.ts';
import type { Database } from './database.ts';
import { newestFirst } from './newest-first.ts';
import { functionCallLogs } from './schema.ts';

let database: Database;
before(async () => {
  database = await openTestDatabase();
});
after(() => database.close());

/** The node types of the plan of the newest 50 function logs of a shop in `order`. */
async function planNodes(order: SQL): Promise<string[]> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL enable_seqscan = off`);
    await tx.execute(sql`SET LOCAL enable_bitmapscan = off`);
    const query = tx
      .select({ id: functionCallLogs.id })
      .from(functionCallLogs)
      .where(eq(functionCallLogs.shopId, 'shop_plan'))
      .orderBy(order)
      .limit(50);
    const result = (await tx.execute(sql`EXPLAIN (FORMAT JSON) ${query}`)) as unknown as {
      rows: Array<{ 'QUERY PLAN': unknown }>;
    };
    const nodes: string[] = [];
    const walk = (node: { 'Node Type': string; Plans?: unknown[] }) => {
      nodes.push(node['Node Type']);
      for (const child of node.Plans ?? []) walk(child as typeof node);
    };
    const raw = result.rows[0]?.['QUERY PLAN'];
    const [top] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{
      Plan: Parameters<typeof walk>[0];
    }>;
    if (top !== undefined) walk(top.Plan);
    return nodes;
  });
}

test('newestFirst reads a .desc() index in order; drizzle desc() has the index sort instead', async () => {
  const newest = await planNodes(newestFirst(functionCallLogs.createdAt));
  assert.ok(newest.includes('Index Scan'), newest.join(' > '));
  assert.ok(!newest.includes('Sort'), newest.join(' > '));
  assert.ok((await planNodes(desc(functionCallLogs.createdAt))).includes('Sort'));
});
