// Credits for AI replies: charged what the model reports, checked before the model is called,
// never below zero under concurrent replies, renewed on the 1st in the shop's time zone, and
// topped up by the operator.
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { CreditsInfo } from '@parley/contract';
import { creditBalances, creditLedger } from '../src/db/schema.ts';
import { creditTools, reserveCredits, settleCharge } from '../src/features/credits/index.ts';
import { isAppError } from '../src/lib/errors.ts';
import { assertToolMetadata, directTools } from './helpers/direct-tools.ts';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

const CHAT_PHONE = '+34655123987';
const FREE = 1_000_000;

let testApp: TestApp;
let llm: ScriptedLlm;

before(async () => {
  llm = await startScriptedLlm();
  testApp = await startTestApp({ PARLEY_LLM_BASE_URL: llm.baseUrl, PARLEY_LLM_MODEL: 'scripted-model' });
});
after(async () => {
  await testApp.close();
  await llm.close();
});
beforeEach(() => {
  llm.reset();
  testApp.clock.set(new Date('2026-03-02T10:00:00Z'));
});

async function suggest(token: string) {
  const response = await testApp.app.inject({
    method: 'POST',
    url: '/api/ai/suggest-reply',
    headers: { authorization: `Bearer ${token}` },
    payload: { phone: CHAT_PHONE },
  });
  return {
    status: response.statusCode,
    json: response.json() as {
      credits_charged: number;
      usage: Record<string, number>;
      error?: { code: string; message: string };
    },
  };
}

const creditsInfo = async (shopId: string) =>
  (await directTools(creditTools, testApp.deps, shopId).run('get_credits_info')) as unknown as CreditsInfo;

/** A reply whose model call reports `tokens` in total. */
async function spend(token: string, tokens: number) {
  llm.script({ text: 'ok', usage: { prompt_tokens: tokens - 1, completion_tokens: 1 } });
  const reply = await suggest(token);
  assert.equal(reply.status, 200, JSON.stringify(reply.json));
  return reply.json;
}

function addCredits(shopId: string, body: unknown, token = TEST_ADMIN_TOKEN) {
  return testApp.app.inject({
    method: 'POST',
    url: `/api/admin/shops/${shopId}/credits`,
    headers: { authorization: `Bearer ${token}` },
    payload: body as Record<string, unknown>,
  });
}

/** The ledger's sums per pool: the balance row must always equal them, and never be negative. */
async function assertLedgerMatchesBalance(shopId: string) {
  const entries = await testApp.deps.db.select().from(creditLedger).where(eq(creditLedger.shopId, shopId));
  const [balance] = await testApp.deps.db
    .select()
    .from(creditBalances)
    .where(eq(creditBalances.shopId, shopId));
  assert.ok(balance !== undefined);
  const free = entries
    .filter((entry) => entry.period === balance.period)
    .reduce((sum, entry) => sum + entry.freeDelta, 0);
  const purchased = entries.reduce((sum, entry) => sum + entry.purchasedDelta, 0);
  assert.deepEqual({ free: balance.freeLeft, purchased: balance.purchasedLeft }, { free, purchased });
  assert.ok(
    balance.freeLeft >= 0 && balance.purchasedLeft >= 0,
    `negative balance: ${JSON.stringify(balance)}`,
  );
}

describe('charging', () => {
  test('a reply is charged the total_tokens the model reported, over all its calls', async () => {
    const shop = await testApp.createShop();
    llm.script({ text: 'Hola', usage: { prompt_tokens: 120, completion_tokens: 30 } });
    const reply = await suggest(shop.token);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json.usage, { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 });
    assert.equal(reply.json.credits_charged, 150);
    const info = await creditsInfo(shop.shopId);
    assert.equal(info.free_left, FREE - 150);
    assert.equal(info.used_this_month, 150);
    assert.equal(info.purchased_left, 0);
    // total_tokens is the price even when it is not prompt + completion (some APIs count more).
    llm.script({ text: 'Hola', usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 40 } });
    assert.equal((await suggest(shop.token)).json.credits_charged, 40);
    assert.equal((await creditsInfo(shop.shopId)).free_left, FREE - 190);
    await assertLedgerMatchesBalance(shop.shopId);
  });

  test('with no credits left: 402 NO_CREDITS and the model is not called', async () => {
    const shop = await testApp.createShop();
    await spend(shop.token, FREE);
    assert.equal((await creditsInfo(shop.shopId)).total_left, 0);
    const requestsBefore = llm.requests.length;
    llm.script({ text: 'must not be asked' });
    const reply = await suggest(shop.token);
    assert.equal(reply.status, 402);
    assert.deepEqual(reply.json, { error: { code: 'NO_CREDITS', message: 'No credits available' } });
    assert.equal(llm.requests.length, requestsBefore);
  });

  test('a reply that outspends what is left is charged what is left; the rest is recorded as unbilled', async () => {
    const shop = await testApp.createShop();
    await spend(shop.token, FREE - 300);
    const reply = await spend(shop.token, 1_000);
    assert.equal(reply.credits_charged, 300);
    assert.equal((await creditsInfo(shop.shopId)).total_left, 0);
    const stats = await directTools(creditTools, testApp.deps, shop.shopId).run('get_usage_stats');
    assert.deepEqual(stats.total, { credits: FREE, calls: 2, unbilled: 700 });
    await assertLedgerMatchesBalance(shop.shopId);
  });

  test('parallel replies never overspend: credits for 3 replies, 10 at once, exactly 3 succeed', async () => {
    const shop = await testApp.createShop();
    await spend(shop.token, FREE - 300);
    llm.setFallback({ text: 'ok', usage: { prompt_tokens: 90, completion_tokens: 10 } });
    const replies = await Promise.all(Array.from({ length: 10 }, () => suggest(shop.token)));
    const statuses = replies.map((reply) => reply.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 402, 402, 402, 402, 402, 402, 402]);
    assert.equal(llm.requests.length, 1 + 3, 'the refused replies never reached the model');
    assert.ok(
      replies.filter((reply) => reply.status === 200).every((reply) => reply.json.credits_charged === 100),
    );
    assert.equal((await creditsInfo(shop.shopId)).total_left, 0);
    await assertLedgerMatchesBalance(shop.shopId);
  });
});

test('credits held by a reply that never settled (a crashed process) are freed once its reservation expires', async () => {
  const shop = await testApp.createShop();
  await spend(shop.token, FREE - 300);
  const creditShop = { id: shop.shopId, timezone: 'Europe/Madrid' };
  const orphan = await reserveCredits(testApp.deps, creditShop);
  assert.equal(orphan.amount, 300, 'the last credits go to the one reply that asks');
  await assert.rejects(reserveCredits(testApp.deps, creditShop, { waitMs: 0 }), (error: unknown) => {
    assert.ok(isAppError(error));
    assert.equal(error.code, 'CREDITS_BUSY');
    return true;
  });
  testApp.clock.advance(121_000);
  const next = await reserveCredits(testApp.deps, creditShop, { waitMs: 0 });
  assert.equal(next.amount, 300);
  await settleCharge(testApp.deps, next, {
    feature: 'ai_reply',
    reference: 'r',
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  });
  const [balance] = await testApp.deps.db
    .select()
    .from(creditBalances)
    .where(eq(creditBalances.shopId, shop.shopId));
  assert.equal(balance?.reserved, 0, 'only the live hold was given back, once');
});

test("a caller's last balance settles without the lock while nobody moved it; once someone did, under the lock", async () => {
  const shop = await testApp.createShop();
  const creditShop = { id: shop.shopId, timezone: 'Europe/Madrid' };
  const usage = (tokens: number) => ({ prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens });
  const charge = (tokens: number) => ({
    feature: 'smart_followup',
    reference: `c${tokens}`,
    usage: usage(tokens),
  });
  const first = await settleCharge(
    testApp.deps,
    await reserveCredits(testApp.deps, creditShop),
    charge(100),
    {
      holdAgain: true,
    },
  );
  assert.ok(first.heldAgain !== null);
  // Nobody moved the balance: charged from what the caller saw, holding again.
  const second = await settleCharge(testApp.deps, first.heldAgain, charge(200), {
    holdAgain: true,
    lastBalance: first.balance,
  });
  assert.deepEqual([second.charged, second.balance.freeLeft], [200, FREE - 300]);
  await assertLedgerMatchesBalance(shop.shopId);
  // A reply of an agent moves the balance meanwhile: the caller's view is stale.
  await spend(shop.token, 1_000);
  assert.ok(second.heldAgain !== null);
  const third = await settleCharge(testApp.deps, second.heldAgain, charge(300), {
    lastBalance: second.balance,
  });
  assert.deepEqual([third.charged, third.balance.freeLeft], [300, FREE - 1_600]);
  await assertLedgerMatchesBalance(shop.shopId);
  const [stored] = await testApp.deps.db
    .select()
    .from(creditBalances)
    .where(eq(creditBalances.shopId, shop.shopId));
  assert.deepEqual([stored?.freeLeft, stored?.reserved], [FREE - 1_600, 0]);
});

describe('months and purchases', () => {
  test("free credits renew on the 1st at midnight in the shop's time zone and are not carried over", async () => {
    const shop = await testApp.createShop(); // Europe/Madrid: UTC+2 from 29 March
    await spend(shop.token, FREE);
    const march = await creditsInfo(shop.shopId);
    assert.equal(march.period, '2026-03');
    assert.equal(march.renews_at, '2026-03-31T22:00:00.000Z');

    testApp.clock.set(new Date('2026-03-31T21:59:59Z')); // 23:59:59 in Madrid: still March
    assert.equal((await suggest(shop.token)).status, 402);

    testApp.clock.set(new Date('2026-03-31T22:00:00Z')); // 00:00 on 1 April in Madrid
    const april = await creditsInfo(shop.shopId);
    assert.deepEqual([april.period, april.free_left, april.used_this_month], ['2026-04', FREE, 0]);
    await spend(shop.token, 500);
    testApp.clock.set(new Date('2026-05-01T09:00:00Z'));
    const may = await creditsInfo(shop.shopId);
    assert.equal(may.free_left, FREE, 'what April left is not carried over');
    assert.equal(may.renews_at, '2026-05-31T22:00:00.000Z');
    await spend(shop.token, 10);
    await assertLedgerMatchesBalance(shop.shopId);
  });

  test('purchased credits are spent after the free ones and never expire', async () => {
    const shop = await testApp.createShop();
    const added = await addCredits(shop.shopId, { amount: 500, reference: 'INV-1' });
    assert.equal(added.statusCode, 201);
    assert.equal((added.json() as { credits: CreditsInfo }).credits.purchased_left, 500);
    await spend(shop.token, 100);
    assert.deepEqual(
      [(await creditsInfo(shop.shopId)).free_left, (await creditsInfo(shop.shopId)).purchased_left],
      [FREE - 100, 500],
    );
    await spend(shop.token, FREE - 100 + 200); // the rest of the free credits, then 200 purchased
    assert.deepEqual(
      [(await creditsInfo(shop.shopId)).free_left, (await creditsInfo(shop.shopId)).purchased_left],
      [0, 300],
    );
    testApp.clock.set(new Date('2026-07-15T10:00:00Z'));
    const july = await creditsInfo(shop.shopId);
    assert.deepEqual([july.free_left, july.purchased_left, july.total_left], [FREE, 300, FREE + 300]);
    await assertLedgerMatchesBalance(shop.shopId);
  });

  test('POST /api/admin/shops/:id/credits validates, needs the admin token and is idempotent per reference', async () => {
    const shop = await testApp.createShop();
    for (const body of [
      { amount: 0, reference: 'r' },
      { amount: -5, reference: 'r' },
      { amount: 1.5, reference: 'r' },
      { amount: '10', reference: 'r' },
      { amount: 10 },
      { amount: 10, reference: '  ' },
    ]) {
      const response = await addCredits(shop.shopId, body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.equal((response.json() as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
    }
    assert.equal((await addCredits(shop.shopId, { amount: 10, reference: 'r' }, shop.token)).statusCode, 403);
    assert.equal((await addCredits('shop_missing', { amount: 10, reference: 'r' })).statusCode, 404);

    const first = await addCredits(shop.shopId, { amount: 700, reference: 'PAY-7' });
    const again = await addCredits(shop.shopId, { amount: 700, reference: 'PAY-7' });
    assert.deepEqual([first.statusCode, again.statusCode], [201, 200]);
    const [a, b] = [first.json(), again.json()] as Array<{
      purchase: { id: string };
      created: boolean;
      credits: CreditsInfo;
    }>;
    assert.equal(b?.created, false);
    assert.equal(b?.purchase.id, a?.purchase.id);
    assert.equal(b?.credits.purchased_left, 700);
    const conflict = await addCredits(shop.shopId, { amount: 900, reference: 'PAY-7' });
    assert.equal(conflict.statusCode, 409);
    assert.match(
      (conflict.json() as { error: { message: string } }).error.message,
      /already used for a purchase of 700/,
    );
  });
});

describe('MCP tools', () => {
  test('have honest metadata', () => assertToolMetadata(creditTools));

  test('get_usage_stats sums by local day and by feature within from/to', async () => {
    const shop = await testApp.createShop();
    testApp.clock.set(new Date('2026-03-09T22:30:00Z')); // 23:30 on the 9th in Madrid
    await spend(shop.token, 100);
    testApp.clock.set(new Date('2026-03-09T23:30:00Z')); // 00:30 on the 10th in Madrid
    await spend(shop.token, 40);
    await spend(shop.token, 60);
    const tools = directTools(creditTools, testApp.deps, shop.shopId);
    const stats = await tools.run('get_usage_stats', { from: '2026-03-01', to: '2026-03-31' });
    assert.deepEqual(stats.by_day, [
      { date: '2026-03-09', credits: 100, calls: 1, unbilled: 0 },
      { date: '2026-03-10', credits: 100, calls: 2, unbilled: 0 },
    ]);
    assert.deepEqual(stats.by_feature, [
      { feature: 'ai_reply', credits: 200, calls: 3, unbilled: 0, prompt_tokens: 197, completion_tokens: 3 },
    ]);
    const tenth = await tools.run('get_usage_stats', { from: '2026-03-10', to: '2026-03-10' });
    assert.deepEqual(tenth.total, { credits: 100, calls: 2, unbilled: 0 });
    await assert.rejects(tools.run('get_usage_stats', { from: '2026-03-10', to: '2026-03-01' }), /after/);
    await assert.rejects(tools.run('get_usage_stats', { from: '2026-02-30' }), /not a calendar day/);
  });
});
