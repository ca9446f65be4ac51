/**
 * Conversation intake emits `phone.detected` (docs/conversations.md#what-is-detected) in the same transaction
 * as the detection.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
  phoneDetectedEventData,
  postConversationMessagesResponse,
  type PhoneDetectedEventData,
} from '@parley/contract';
import { asc, eq } from 'drizzle-orm';
import { webhookDeliveries, webhookEvents } from '../src/db/schema.ts';
import { webhookTools } from '../src/features/webhooks/index.ts';
import { directTools } from './helpers/direct-tools.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

async function shopWithWebhook(events: string[]) {
  const shop = await t.createShop();
  await directTools(webhookTools, t.deps, shop.shopId).apply('configure_webhooks', {
    webhook_enabled: true,
    webhook_url: 'http://127.0.0.1:9/hooks/parley',
    webhook_events: events,
  });
  return shop;
}

async function ingest(token: string, chatPhone: string, messages: Array<{ id: string; text: string }>) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/conversations/messages',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      chat_phone: chatPhone,
      messages: messages.map((m) => ({ ...m, direction: 'in', sent_at: '2026-03-02T09:00:00Z' })),
    },
  });
  assert.equal(res.statusCode, 200, res.body);
  return postConversationMessagesResponse.parse(res.json());
}

interface RecordedEvent {
  id: string;
  event: string;
  timestamp: string;
  data: PhoneDetectedEventData;
}

/** The shop's recorded events by time (ties in any order), each body checked against the §6 shapes. */
async function eventsOf(shopId: string): Promise<RecordedEvent[]> {
  const rows = await t.deps.db
    .select()
    .from(webhookEvents)
    .where(eq(webhookEvents.shopId, shopId))
    .orderBy(asc(webhookEvents.createdAt));
  return rows.map((row) => {
    const body = JSON.parse(row.body) as Omit<RecordedEvent, 'data'> & { data: unknown };
    assert.equal(body.id, row.id);
    assert.equal(row.event, 'phone.detected');
    return { ...body, data: phoneDetectedEventData.parse(body.data) };
  });
}

const byPhone = (events: RecordedEvent[]) =>
  [...events].sort((a, b) => a.data.phone.localeCompare(b.data.phone));

describe('phone.detected', () => {
  it('a subscribed shop gets one event per detection, with the §6 data, queued for delivery', async () => {
    const { shopId, token } = await shopWithWebhook(['phone.detected']);
    const chat = '+34611000001';
    const result = await ingest(token, chat, [{ id: 'm1', text: 'llámame al 655 12 39 87' }]);
    assert.equal(result.detected_phones.length, 2);

    const events = byPhone(await eventsOf(shopId));
    const hash = events[0]?.data.conversation_hash;
    assert.match(hash ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(
      events.map((e) => [e.event, e.timestamp, e.data]),
      [
        [
          'phone.detected',
          '2026-03-02T10:00:00.000Z',
          {
            phone: chat,
            detected_at: '2026-03-02T10:00:00.000Z',
            shop_id: shopId,
            conversation_hash: hash,
            source: 'chat',
            chat_phone: chat,
          },
        ],
        [
          'phone.detected',
          '2026-03-02T10:00:00.000Z',
          {
            phone: '+34655123987',
            detected_at: '2026-03-02T10:00:00.000Z',
            shop_id: shopId,
            conversation_hash: hash,
            source: 'message',
            chat_phone: chat,
          },
        ],
      ],
    );
    assert.equal(JSON.stringify(events).includes(t.deps.signingKey.toString('hex')), false);

    const deliveries = await t.deps.db
      .select({ eventId: webhookDeliveries.eventId, status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.shopId, shopId));
    assert.deepEqual(
      deliveries.map((d) => d.status),
      ['queued', 'queued'],
    );
    assert.deepEqual(new Set(deliveries.map((d) => d.eventId)), new Set(events.map((e) => e.id)));
  });

  it('conversation_hash is stable for a chat, and differs between chats and between shops', async () => {
    const a = await shopWithWebhook(['phone.detected']);
    const b = await shopWithWebhook(['phone.detected']);
    const chat = '+34611000002';
    const other = '+34611000003';
    await ingest(a.token, chat, [{ id: 'h1', text: 'hola' }]);
    t.clock.advance(60_000);
    await ingest(a.token, chat, [{ id: 'h2', text: 'mi fijo es 91 123 45 67' }]);
    await ingest(a.token, other, [{ id: 'h1', text: 'hola' }]);
    await ingest(b.token, chat, [{ id: 'h1', text: 'hola' }]);

    const inA = new Map((await eventsOf(a.shopId)).map((e) => [e.data.phone, e.data]));
    assert.deepEqual(
      [...inA.values()].map((d) => [d.phone, d.chat_phone, d.detected_at]).sort(),
      [
        [chat, chat, '2026-03-02T10:00:00.000Z'],
        ['+34911234567', chat, '2026-03-02T10:01:00.000Z'],
        [other, other, '2026-03-02T10:01:00.000Z'],
      ].sort(),
    );
    const first = inA.get(chat)?.conversation_hash;
    assert.equal(
      inA.get('+34911234567')?.conversation_hash,
      first,
      'the same chat keeps its hash across requests',
    );
    assert.notEqual(inA.get(other)?.conversation_hash, first, 'another chat of the shop has another hash');
    const [inB] = await eventsOf(b.shopId);
    assert.equal(inB?.data.chat_phone, chat);
    assert.notEqual(inB?.data.conversation_hash, first, 'the same chat in another shop has another hash');
  });

  it('a replayed batch and concurrent identical batches record each event once', async () => {
    const { shopId, token } = await shopWithWebhook(['phone.detected']);
    const chat = '+34611000004';
    const messages = [
      { id: 'r1', text: 'apunta 655 12 39 87' },
      { id: 'r2', text: 'y +1 (415) 555-2671' },
    ];
    const results = await Promise.all([1, 2, 3].map(() => ingest(token, chat, messages)));
    await ingest(token, chat, messages);
    assert.equal(results.flatMap((r) => r.detected_phones).length, 3);
    assert.deepEqual(
      (await eventsOf(shopId)).map((e) => e.data.phone).sort(),
      ['+14155552671', chat, '+34655123987'].sort(),
    );
  });

  it('records no event when the webhook does not subscribe to phone.detected, yet still detects', async () => {
    const unsubscribed = await shopWithWebhook(['followup.detected']);
    const unconfigured = await t.createShop();
    for (const shop of [unsubscribed, unconfigured]) {
      const result = await ingest(shop.token, '+34611000005', [{ id: 'n1', text: 'mi móvil 655 12 39 87' }]);
      assert.equal(result.detected_phones.length, 2);
      assert.deepEqual(await eventsOf(shop.shopId), []);
    }
  });
});
