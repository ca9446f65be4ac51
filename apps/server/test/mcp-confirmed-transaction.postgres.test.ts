/**
 * On PostgreSQL, where transactions run side by side (docs/mcp.md#confirmed-changes): a confirmation sent
 * while another is between its check and its write waits on the shop's change lock, cannot even plan,
 * and is refused once the first commits. PGlite runs one transaction at a time, so there the second
 * waits for the whole first one and no lock wait can be observed: this file runs on PostgreSQL only.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { queryRows } from '../src/db/database.ts';
import { crmTools } from '../src/features/crm/index.ts';
import type { ConfirmedTool, Tool } from '../src/features/tool.ts';
import { runConfirmedTool } from '../src/mcp/confirmation-flow.ts';
import { oneApplied, previewToken } from './helpers/confirmations.ts';
import type { ToolCallResult } from './helpers/mcp.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '100000' });
});
after(() => t.close());

const rotateSecret = crmTools.find((tool) => tool.name === 'rotate_request_signing_secret') as Extract<
  Tool,
  { kind: 'confirmed' }
>;

/** rotate_request_signing_secret that reports its plan, and whose write waits for `gate`. */
const observedRotation = (planned: () => void, gate: Promise<void>): ConfirmedTool<z.ZodObject> => ({
  ...rotateSecret,
  plan: async (args, ctx) => {
    const plan = await rotateSecret.plan(args, ctx);
    planned();
    return {
      ...plan,
      commit: async () => {
        await gate;
        return plan.commit();
      },
    };
  },
});

/** Whether a transaction of this database waits for an advisory lock (the shop's change lock). */
const waitsForChangeLock = async () =>
  (
    await queryRows<{ waiting: boolean }>(
      t.deps.db,
      sql`select exists (select 1 from pg_locks where locktype = 'advisory' and not granted
            and database = (select oid from pg_database where datname = current_database())) as waiting`,
    )
  )[0]?.waiting === true;

test('a confirmation arriving while another is between its check and its write waits for it, then is refused', async () => {
  const shop = await t.createShop();
  const ctx = { shopId: shop.shopId, deps: t.deps };
  const token = await previewToken(t.app, shop.token, 'rotate_request_signing_secret', {});
  const controls = { confirm: true, confirmation_token: token };
  let openGate = () => {};
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let firstPlanned = () => {};
  const firstHasPlanned = new Promise<void>((resolve) => (firstPlanned = resolve));
  let secondHasPlanned = false;

  const first = runConfirmedTool(observedRotation(firstPlanned, gate), {}, controls, ctx);
  await firstHasPlanned;
  const second = runConfirmedTool(
    observedRotation(() => (secondHasPlanned = true), Promise.resolve()),
    {},
    controls,
    ctx,
  );
  // Held between its check and its write, the first change keeps the second out: it cannot even plan
  // (without the lock it would plan, pass the check and write a second secret before the first).
  while (!secondHasPlanned && !(await waitsForChangeLock()));
  assert.equal(secondHasPlanned, false, 'the second change planned while the first was open');
  openGate();
  oneApplied((await Promise.all([first, second])) as ToolCallResult[]);
});
