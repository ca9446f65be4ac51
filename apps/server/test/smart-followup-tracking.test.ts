// What happens to a follow-up after a run created it, on a manual clock: its due time (delay and
// sending window), the checks it passes then (a reply, a purchase, an opt-out), expiry after downtime,
// the agent marking it sent or dismissing it, then the reply and the purchase it is credited with,
// each with its signed event. And the daily schedule on the shop's wall clock.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { followupConvertedEventData, followupRepliedEventData } from '@parley/contract';
import {
  abandonedChat,
  analysisOf,
  answerWith,
  deliveriesOf as helperDeliveriesOf,
  followupShop,
  listFollowups,
  onlyFollowup,
  postConversation,
  setClock,
  startFollowupWorld,
  trigger,
  type FollowupShop,
  type FollowupWorld,
} from './helpers/smart-followup.ts';
import { callOk } from './helpers/webhooks.ts';

const HOUR = 3_600_000;
const PHONE = '+34655123987';
let world: FollowupWorld;
before(async () => {
  world = await startFollowupWorld();
});
after(() => world.close());

/** A shop with `settings` and one follow-up created by a run over the abandoned chat. */
async function shopWithFollowup(settings: Record<string, unknown> = {}): Promise<FollowupShop> {
  const shop = await followupShop(world, settings);
  await postConversation(world, shop.token, PHONE, abandonedChat);
  world.llm.reset();
  world.llm.script(answerWith(analysisOf()));
  await trigger(world, shop.token);
  await world.worker.drain();
  return shop;
}

const post = (shop: FollowupShop, url: string, payload?: Record<string, unknown>) =>
  world.t.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${shop.token}` },
    ...(payload === undefined ? {} : { payload }),
  });

const deliveriesOf = (event: string, followupId: string) => helperDeliveriesOf(world, event, followupId);

describe('becoming due', () => {
  test('delay_days and the sending window: pending until then, due at the window opening', async () => {
    // Now is 11:00 in Madrid; the conversation went quiet at 07:10 local. A day later, 07:10, is before
    // the 9-10 window: due when it opens that day.
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup({ delay_days: 1, sending_window_start: 9, sending_window_end: 10 });
    const pending = await onlyFollowup(world, shop.token, PHONE);
    assert.equal(pending.status, 'pending');
    assert.equal(pending.due_at, '2026-03-03T08:00:00.000Z');
    world.t.clock.set(new Date('2026-03-03T07:59:00Z'));
    await world.worker.drain();
    assert.equal((await onlyFollowup(world, shop.token, PHONE)).status, 'pending');
    world.t.clock.set(new Date('2026-03-03T08:00:00Z'));
    await world.worker.drain();
    assert.equal((await onlyFollowup(world, shop.token, PHONE)).status, 'due');
  });

  test('a customer reply before it is due cancels it (customer_replied), with no event', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup({ delay_days: 1 });
    await postConversation(world, shop.token, PHONE, [
      { id: 'm9', direction: 'in', text: 'Ya me decidí', minutesAgo: -60 },
    ]);
    world.t.clock.advance(25 * HOUR);
    await world.worker.drain();
    const followup = await onlyFollowup(world, shop.token, PHONE);
    assert.equal(followup.status, 'cancelled');
    assert.equal(followup.cancel_reason, 'customer_replied');
    assert.deepEqual(deliveriesOf('followup.detected', followup.id), []);
  });

  test('a purchase found by the CRM at due time cancels it (converted)', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup({ delay_days: 1 });
    world.crm.answer(`/crm/verify/${shop.shopId}`, {
      json: { found: true, converted: true, orders: [{ name: '#77', amount: 89.9, currency: 'EUR' }] },
    });
    world.t.clock.advance(25 * HOUR);
    await world.worker.drain();
    const followup = await onlyFollowup(world, shop.token, PHONE);
    assert.equal(followup.status, 'cancelled');
    assert.equal(followup.cancel_reason, 'converted');
  });

  test('a CRM that cannot answer at due time holds it pending, and it becomes due once the CRM answers', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup({ delay_days: 1 });
    world.crm.answer(`/crm/verify/${shop.shopId}`, { status: 500, json: { error: 'down' } });
    world.t.clock.advance(25 * HOUR);
    await world.worker.drain();
    assert.equal((await onlyFollowup(world, shop.token, PHONE)).status, 'pending');
    world.crm.answer(`/crm/verify/${shop.shopId}`, { json: { found: false, converted: false, orders: [] } });
    world.t.clock.advance(15 * 60_000);
    await world.worker.drain();
    assert.equal((await onlyFollowup(world, shop.token, PHONE)).status, 'due');
  });

  test('after downtime: a follow-up that could only become due over 72 h late expires instead', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup({ delay_days: 1 });
    const before = await onlyFollowup(world, shop.token, PHONE);
    world.t.clock.set(new Date(Date.parse(before.due_at) + 73 * HOUR));
    await world.worker.drain();
    const followup = await onlyFollowup(world, shop.token, PHONE);
    assert.equal(followup.status, 'expired');
    assert.deepEqual(deliveriesOf('followup.detected', followup.id), []);
  });
});

describe('the agent and the customer', () => {
  test('sent, then the customer replies (followup.replied), then buys (followup.converted)', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup();
    const due = await onlyFollowup(world, shop.token, PHONE);
    assert.equal(due.status, 'due');
    const sent = await post(shop, `/api/followups/${due.id}/sent`);
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().followup.status, 'sent');
    // A retried click answers the same; a dismiss of a sent follow-up is a 409 that says why.
    assert.equal((await post(shop, `/api/followups/${due.id}/sent`)).statusCode, 200);
    const dismiss = await post(shop, `/api/followups/${due.id}/dismiss`, {});
    assert.equal(dismiss.statusCode, 409);
    assert.match(dismiss.json().error.message, /This follow-up is sent/);

    world.t.clock.advance(2 * HOUR);
    await postConversation(world, shop.token, PHONE, [
      { id: 'r1', direction: 'in', text: '¡Vale, las quiero!', minutesAgo: 5 },
    ]);
    world.crm.answer(`/crm/verify/${shop.shopId}`, {
      json: {
        found: true,
        converted: true,
        orders: [{ name: '#1042', amount: 89.9, currency: 'EUR', date: '2026-03-02T12:30:00Z' }],
      },
    });
    world.t.clock.advance(60_000);
    await world.worker.drain();
    const tracked = await onlyFollowup(world, shop.token, PHONE);
    assert.equal(tracked.replied_at, new Date(world.t.clock.now().getTime() - 6 * 60_000).toISOString());
    assert.equal(tracked.converted_at, world.t.clock.now().toISOString());

    const [replied] = deliveriesOf('followup.replied', due.id);
    assert.equal(followupRepliedEventData.parse(replied).replied_at, tracked.replied_at);
    const [converted] = deliveriesOf('followup.converted', due.id);
    const data = followupConvertedEventData.parse(converted);
    assert.deepEqual(data.order, {
      name: '#1042',
      amount: 89.9,
      currency: 'EUR',
      date: '2026-03-02T12:30:00Z',
    });
    assert.equal(data.source, 'crm');

    const stats = await callOk(world.t, shop.token, 'get_smart_followup_stats', { period: 'all_time' });
    const content = stats.structuredContent as {
      funnel: Record<string, number>;
      revenue: Array<{ currency: string; amount: number; orders: number }>;
      response_rate: number;
      top_products: Array<{ value: string; count: number }>;
    };
    assert.deepEqual(content.funnel, { analysed: 1, eligible: 1, followed_up: 1, replied: 1, converted: 1 });
    assert.equal(content.response_rate, 1);
    assert.deepEqual(content.revenue, [{ currency: 'EUR', amount: 89.9, orders: 1 }]);
    assert.deepEqual(content.top_products, [{ value: 'Runner Pro talla 42', count: 1 }]);
  });

  test('a purchase found by the 6-hourly check converts a follow-up nobody replied to; tracking ends after tracking_days', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup({ tracking_days: 1 });
    const due = await onlyFollowup(world, shop.token, PHONE);
    const checks = () =>
      world.crm.requests.filter((request) => request.path === `/crm/verify/${shop.shopId}`).length;
    const before = checks();
    world.t.clock.advance(6 * HOUR);
    await world.worker.drain();
    assert.equal(checks(), before + 1);
    world.crm.answer(`/crm/verify/${shop.shopId}`, { json: { found: true, converted: true, orders: [] } });
    world.t.clock.advance(19 * HOUR);
    await world.worker.drain();
    assert.equal(
      (await onlyFollowup(world, shop.token, PHONE)).converted_at,
      null,
      'tracking ended after 1 day',
    );
    assert.deepEqual(deliveriesOf('followup.converted', due.id), []);
  });

  test('a reply while it still waits for an agent cancels it (customer_replied): no stale draft, no event', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup();
    const due = await onlyFollowup(world, shop.token, PHONE);
    world.t.clock.advance(HOUR);
    await postConversation(world, shop.token, PHONE, [
      { id: 'r2', direction: 'in', text: 'Hola?', minutesAgo: 1 },
    ]);
    world.t.clock.advance(60_000);
    await world.worker.drain();
    const cancelled = await onlyFollowup(world, shop.token, PHONE);
    assert.deepEqual(
      [cancelled.status, cancelled.cancel_reason, cancelled.replied_at],
      ['cancelled', 'customer_replied', null],
    );
    assert.deepEqual(deliveriesOf('followup.replied', due.id), []);
    assert.deepEqual(await listFollowups(world, shop.token, 'status=due'), []);
  });

  test('a purchase at the last check of tracking counts; a follow-up nobody acted on then expires', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const bought = await shopWithFollowup({ tracking_days: 1 });
    const sent = await onlyFollowup(world, bought.token, PHONE);
    await post(bought, `/api/followups/${sent.id}/sent`);
    const ignored = await shopWithFollowup({ tracking_days: 1 });
    world.t.clock.advance(18 * HOUR);
    await world.worker.drain();
    world.crm.answer(`/crm/verify/${bought.shopId}`, { json: { found: true, converted: true, orders: [] } });
    world.t.clock.advance(6 * HOUR);
    await world.worker.drain();
    assert.equal(
      (await onlyFollowup(world, bought.token, PHONE)).converted_at,
      world.t.clock.now().toISOString(),
    );
    assert.equal(deliveriesOf('followup.converted', sent.id).length, 1);
    const expired = await onlyFollowup(world, ignored.token, PHONE);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.converted_at, null);
  });

  test('dismiss with a reason; unknown ids are 404, and another shop sees nothing of it', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup();
    const due = await onlyFollowup(world, shop.token, PHONE);
    const other = await world.t.createShop('Other shop');
    const otherCalls = [
      await post(other, `/api/followups/${due.id}/sent`),
      await post(other, `/api/followups/${due.id}/dismiss`, {}),
    ];
    for (const answer of otherCalls) assert.equal(answer.statusCode, 404);
    assert.deepEqual(await listFollowups(world, other.token), []);

    const tooLong = await post(shop, `/api/followups/${due.id}/dismiss`, { reason: 'x'.repeat(501) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.json().error.message, /reason must be at most 500 characters/);
    const dismissed = await post(shop, `/api/followups/${due.id}/dismiss`, { reason: 'already called her' });
    assert.equal(dismissed.json().followup.status, 'dismissed');
    assert.equal((await post(shop, '/api/followups/fup_nope/sent')).statusCode, 404);
    assert.deepEqual(await listFollowups(world, shop.token, 'status=due'), []);
  });

  test('agents need the panel permission; a bad status is refused naming the values', async () => {
    const shop = await world.t.createShop();
    const agent = await world.t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { authorization: `Bearer ${shop.token}` },
      payload: { nickname: 'bea', name: 'Bea', permissions: ['conversations'] },
    });
    const token = agent.json().token as string;
    const denied = await world.t.app.inject({
      method: 'GET',
      url: '/api/followups',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(denied.statusCode, 403);
    const bad = await world.t.app.inject({
      method: 'GET',
      url: '/api/followups?status=late',
      headers: { authorization: `Bearer ${shop.token}` },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /status must be due, pending, sent or all/);
  });

  test('agent_queue false: the follow-up goes to the webhook only, not to agents', async () => {
    setClock(world, new Date('2026-03-02T10:00:00Z'));
    const shop = await shopWithFollowup({ agent_queue: false });
    assert.deepEqual(await listFollowups(world, shop.token), []);
    const logs = await callOk(world.t, shop.token, 'get_smart_followup_logs', { period: 'all_time' });
    const [entry] = (
      logs.structuredContent as { entries: Array<{ action_taken: string; followup: { id: string } }> }
    ).entries;
    assert.equal(entry?.action_taken, 'webhook_fired');
    assert.equal(deliveriesOf('followup.detected', entry?.followup.id ?? '').length, 1);
  });
});

describe('the daily schedule', () => {
  test('runs at run_hour on the shop clock across the spring DST change, skipping days off', async () => {
    // Saturday 2026-03-28, 12:00 in Madrid. Runs at 10:00 on Sundays and Mondays only.
    setClock(world, new Date('2026-03-28T11:00:00Z'));
    const shop = await followupShop(world, { enabled: true, run_hour: 10, run_days: [0, 1] });
    const config = await callOk(world.t, shop.token, 'get_smart_followup_config');
    assert.equal(config.structuredContent.next_run_at, '2026-03-29T08:00:00.000Z'); // 10:00 CEST
    await postConversation(world, shop.token, PHONE, abandonedChat);
    world.llm.reset();
    world.llm.script(answerWith(analysisOf()));
    world.t.clock.set(new Date('2026-03-29T07:59:00Z'));
    await world.worker.drain();
    assert.equal(world.llm.requests.length, 0);
    world.t.clock.set(new Date('2026-03-29T08:00:00Z'));
    await world.worker.drain();
    assert.equal(world.llm.requests.length, 1, 'the conversation from Saturday is in Sunday’s window');
    const after = await callOk(world.t, shop.token, 'get_smart_followup_config');
    assert.equal(after.structuredContent.next_run_at, '2026-03-30T08:00:00.000Z');
    assert.equal((after.structuredContent.last_run as { trigger: string }).trigger, 'schedule');
  });

  test('get_smart_followup_config warns when follow-up is on and no conversation arrived', async () => {
    const shop = await followupShop(world, { enabled: true });
    const config = await callOk(world.t, shop.token, 'get_smart_followup_config');
    const warnings = config.structuredContent.warnings as string[];
    assert.ok(
      warnings.some((warning) => /no conversation arrived in the last 24 h/.test(warning)),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((warning) => /"Report the visible messages of the open chat to Parley"/.test(warning)),
    );
  });
});
