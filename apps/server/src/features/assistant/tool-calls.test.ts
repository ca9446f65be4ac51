// The runner's word on whether the next model call must be the final one. The reply loop also
// compares the clock with the deadline, but a timer can fire just before the clock reaches it, so a
// call cut off by the reply's time for functions has to say so by itself.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { directTools } from '../../../test/helpers/direct-tools.ts';
import { startFakeCrm, type FakeCrm } from '../../../test/helpers/fake-crm.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { functionTools } from '../functions/index.ts';
import { defaultReplyLimits, replyDeadlines, type ReplyLimits } from './limits.ts';
import { createToolCallRunner } from './tool-calls.ts';

let testApp: TestApp;
let api: FakeCrm;

before(async () => {
  [testApp, api] = await Promise.all([startTestApp(), startFakeCrm()]);
});
after(async () => {
  await testApp.close();
  await api.close();
});

async function runnerWithStalledFunction(limits: Partial<ReplyLimits>) {
  const shop = await testApp.createShop();
  await directTools(functionTools, testApp.deps, shop.shopId).apply('update_custom_functions', {
    add_function: {
      name: 'get_order',
      description: 'Looks up an order',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } } },
      endpoint: api.url('/erp/orders'),
      method: 'GET',
    },
  });
  api.answer('/erp/orders', { json: {}, delay: new Promise<never>(() => {}) });
  const replyLimits = { ...defaultReplyLimits, ...limits };
  return createToolCallRunner({
    deps: testApp.deps,
    shopId: shop.shopId,
    limits: replyLimits,
    deadlines: replyDeadlines(replyLimits, performance.now()),
    offered: ['get_order'],
    signingSecret: () => 'a-signing-secret',
  });
}

const stalledCall = [
  { id: 'c1', type: 'function' as const, function: { name: 'get_order', arguments: '{}' } },
];

test('a call cut off by the time for functions makes the next model call the final one', async () => {
  // 200 ms for functions, well under the call's own 60 s.
  const runner = await runnerWithStalledFunction({ replyTimeoutMs: 60_000, finalCallReserveMs: 59_800 });
  const answers = await runner.runStep(stalledCall);
  assert.equal(answers.length, 1);
  assert.equal(runner.executed[0]?.outcome.status, 'timeout');
  assert.equal(runner.limitReached, true);
});

test("a call that times out on its own limit leaves the reply's time for functions open", async () => {
  const runner = await runnerWithStalledFunction({ functionTimeoutMs: 200 });
  await runner.runStep(stalledCall);
  assert.equal(runner.executed[0]?.outcome.status, 'timeout');
  assert.equal(runner.limitReached, false);
});
