// Smart Follow-up's read tools and previews over MCP, what one shop's tools and routes show of
// another's (nothing), and the purchase check through sidePanel_CustomerInfo when a shop has no
// verify_conversion endpoint.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { crmTools } from '../src/features/crm/index.ts';
import { directTools } from './helpers/direct-tools.ts';
import {
  abandonedChat,
  analysisOf,
  answerWith,
  followupShop,
  listFollowups,
  logOf,
  logsOf,
  onlyFollowup,
  postConversation,
  startFollowupWorld,
  trigger,
  triggerError,
  type FollowupWorld,
} from './helpers/smart-followup.ts';
import { callError, callOk } from './helpers/webhooks.ts';

const PHONE = '+34655123987';
let world: FollowupWorld;
before(async () => {
  world = await startFollowupWorld();
});
after(() => world.close());

/** The conversation_hash of PHONE's chat in the shop, as a run's log shows it. */
async function hashOf(token: string): Promise<string> {
  world.llm.reset();
  world.llm.script(answerWith(analysisOf({ intent_level: 'none', outcome: 'unclear' })));
  await trigger(world, token);
  await world.worker.drain();
  return (await logOf(world, token, PHONE)).conversation_hash;
}

describe('preview_smart_followup', () => {
  test('analyses one conversation, says what a run would do, charges the credits and records nothing', async () => {
    const shop = await followupShop(world);
    await postConversation(world, shop.token, PHONE, abandonedChat);
    const hash = await hashOf(shop.token);
    const before = await logsOf(world, shop.token);
    world.llm.reset();
    world.llm.script(answerWith(analysisOf(), { prompt_tokens: 700, completion_tokens: 100 }));
    const preview = (await callOk(world.t, shop.token, 'preview_smart_followup', { conversation_hash: hash }))
      .structuredContent;
    assert.equal(preview.would_follow_up, true);
    assert.equal(preview.attempt_number, 1);
    assert.equal(preview.credits_charged, 800);
    assert.equal(
      (preview.analysis as { product_mentioned: string }).product_mentioned,
      'Runner Pro talla 42',
    );
    assert.deepEqual(await logsOf(world, shop.token), before, 'the log is as it was');
    assert.deepEqual(await listFollowups(world, shop.token), []);

    world.llm.script(answerWith(analysisOf({ sentiment: 'negative' })));
    const negative = (
      await callOk(world.t, shop.token, 'preview_smart_followup', { conversation_hash: hash })
    ).structuredContent;
    assert.deepEqual([negative.would_follow_up, negative.skip_reason], [false, 'negative_sentiment']);
  });
});

describe('one shop never sees another', () => {
  test("tools given another shop's conversation_hash refuse it; logs, stats and follow-ups show nothing of it", async () => {
    const owner = await followupShop(world);
    await postConversation(world, owner.token, PHONE, abandonedChat);
    world.llm.reset();
    world.llm.script(answerWith(analysisOf()));
    await trigger(world, owner.token);
    await world.worker.drain();
    const hash = (await logOf(world, owner.token, PHONE)).conversation_hash;
    const followup = await onlyFollowup(world, owner.token, PHONE);

    const stranger = await followupShop(world);
    assert.match(
      await triggerError(world, stranger.token, { conversation_hash: hash }),
      /No conversation of this shop/,
    );
    assert.match(
      await callError(world.t, stranger.token, 'preview_smart_followup', { conversation_hash: hash }),
      /No conversation of this shop/,
    );
    assert.equal((await logsOf(world, stranger.token)).total, 0);
    const stats = await callOk(world.t, stranger.token, 'get_smart_followup_stats', { period: 'all_time' });
    assert.deepEqual(stats.structuredContent.funnel, {
      analysed: 0,
      eligible: 0,
      followed_up: 0,
      replied: 0,
      converted: 0,
    });
    assert.deepEqual(await listFollowups(world, stranger.token), []);
    const search = await world.t.app.inject({
      method: 'GET',
      url: `/api/followups?status=all&phone=${encodeURIComponent(PHONE)}`,
      headers: { authorization: `Bearer ${stranger.token}` },
    });
    assert.deepEqual(search.json(), { followups: [] });
    const act = await world.t.app.inject({
      method: 'POST',
      url: `/api/followups/${followup.id}/dismiss`,
      headers: { authorization: `Bearer ${stranger.token}` },
      payload: {},
    });
    assert.equal(act.statusCode, 404);
  });
});

describe('logs and stats', () => {
  test('filters narrow the log; a custom period needs both days; stats count skip reasons', async () => {
    const shop = await followupShop(world, { exclude_phones: ['+34655000002'] });
    await postConversation(world, shop.token, PHONE, abandonedChat);
    await postConversation(world, shop.token, '+34655000002', abandonedChat);
    world.llm.reset();
    world.llm.script(answerWith(analysisOf()));
    await trigger(world, shop.token);
    await world.worker.drain();
    const skipped = await logsOf(world, shop.token, { action_taken: 'skipped' });
    assert.deepEqual(
      skipped.entries.map((entry) => entry.skip_reason),
      ['excluded_phone'],
    );
    assert.equal((await logsOf(world, shop.token, { search: 'runner pro' })).total, 1);
    assert.equal((await logsOf(world, shop.token, { intent_level: 'low' })).total, 0);
    assert.equal((await logsOf(world, shop.token, { period: 'today' })).total, 2);
    assert.equal((await logsOf(world, shop.token, { period: 'yesterday' })).total, 0);
    assert.match(
      await callError(world.t, shop.token, 'get_smart_followup_logs', {
        period: 'custom',
        date_from: '2026-03-01',
      }),
      /needs both date_from and date_to/,
    );
    assert.match(
      await callError(world.t, shop.token, 'get_smart_followup_logs', {
        period: 'today',
        date_from: '2026-03-01',
      }),
      /go with period "custom" only/,
    );
    assert.equal(
      (await logsOf(world, shop.token, { period: 'custom', date_from: '2026-03-02', date_to: '2026-03-02' }))
        .total,
      2,
    );
    const stats = await callOk(world.t, shop.token, 'get_smart_followup_stats', { period: 'this_month' });
    assert.deepEqual(stats.structuredContent.skip_reasons, { excluded_phone: 1 });
    assert.equal(stats.structuredContent.credits_used, 1000);
  });
});

describe('the purchase check without verify_conversion', () => {
  test('orders of sidePanel_CustomerInfo dated since the conversation began count; older ones do not', async () => {
    const shop = await world.t.createShop();
    const crm = directTools(crmTools, world.t.deps, shop.shopId);
    const path = `/crm/customer/${shop.shopId}`;
    await crm.apply('update_crm_endpoints', {
      add_crm_endpoint: { type: 'sidePanel_CustomerInfo', url: world.crm.url(path), method: 'GET' },
    });
    await callOk(world.t, shop.token, 'save_smart_followup_config', { enabled: false, confirm: true });
    const customerWith = (date: string) => ({
      json: {
        found: true,
        customer: { name: 'Lucía', orders: [{ name: '#9', date, amount: 89.9, currency: 'EUR' }] },
      },
    });
    const conversationStart = new Date(world.t.clock.now().getTime() - 240 * 60_000);

    world.crm.answer(path, customerWith(new Date(conversationStart.getTime() + 60_000).toISOString()));
    await postConversation(world, shop.token, PHONE, abandonedChat);
    world.llm.reset();
    world.llm.script(answerWith(analysisOf()));
    await trigger(world, shop.token);
    await world.worker.drain();
    assert.equal((await logOf(world, shop.token, PHONE)).skip_reason, 'crm_order_found');

    world.crm.answer(path, customerWith(new Date(conversationStart.getTime() - 86_400_000).toISOString()));
    await postConversation(world, shop.token, '+34655000009', abandonedChat);
    world.llm.script(answerWith(analysisOf()));
    await trigger(world, shop.token);
    await world.worker.drain();
    assert.equal((await onlyFollowup(world, shop.token, '+34655000009')).status, 'due');
  });
});

describe('at due time', () => {
  test('a phone the shop excluded since the follow-up was created cancels it (opted_out)', async () => {
    const shop = await followupShop(world, { delay_days: 1 });
    await postConversation(world, shop.token, PHONE, abandonedChat);
    world.llm.reset();
    world.llm.script(answerWith(analysisOf()));
    await trigger(world, shop.token);
    await world.worker.drain();
    await callOk(world.t, shop.token, 'save_smart_followup_config', {
      exclude_phones: [PHONE],
      confirm: true,
    });
    world.t.clock.advance(25 * 3_600_000);
    await world.worker.drain();
    const followup = await onlyFollowup(world, shop.token, PHONE);
    assert.deepEqual([followup.status, followup.cancel_reason], ['cancelled', 'opted_out']);
  });
});
