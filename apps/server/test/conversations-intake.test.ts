/** POST /api/conversations/messages over HTTP on a real database: storage, detection, idempotency, isolation. */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { postConversationMessagesResponse, type PostConversationMessagesResponse } from '@parley/contract';
import { and, asc, eq } from 'drizzle-orm';
import { conversationChats, conversationMessages, detectedPhones } from '../src/db/schema.ts';
import { listRecentMessages } from '../src/features/conversations/index.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

/** A fresh chat number per test, so tests share one database without seeing each other's phones. */
let nextChat = 0;
const newChatPhone = () => `+3461${String(1_000_000 + nextChat++).padStart(7, '0')}`;

interface MessageInput {
  id: string;
  direction?: 'in' | 'out';
  text: string;
  sent_at?: string;
}

const batch = (chatPhone: string, messages: MessageInput[], extra: Record<string, unknown> = {}) => ({
  chat_phone: chatPhone,
  ...extra,
  messages: messages.map((m) => ({ direction: 'in', sent_at: '2026-03-02T09:00:00Z', ...m })),
});

const post = (token: string, body: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/conversations/messages',
    headers: { authorization: `Bearer ${token}` },
    payload: body as Record<string, unknown>,
  });

async function ingest(token: string, body: unknown): Promise<PostConversationMessagesResponse> {
  const res = await post(token, body);
  assert.equal(res.statusCode, 200, res.body);
  return postConversationMessagesResponse.parse(res.json());
}

const phonesOf = (shopId: string) =>
  t.deps.db
    .select({
      phone: detectedPhones.phone,
      source: detectedPhones.source,
      messageId: detectedPhones.messageId,
    })
    .from(detectedPhones)
    .where(eq(detectedPhones.shopId, shopId))
    .orderBy(asc(detectedPhones.phone));

const messagesOf = (shopId: string, chatPhone: string) =>
  t.deps.db
    .select()
    .from(conversationMessages)
    .where(and(eq(conversationMessages.shopId, shopId), eq(conversationMessages.chatPhone, chatPhone)))
    .orderBy(asc(conversationMessages.messageId));

describe('intake and detection', () => {
  it('stores the messages and detects the chat number and the numbers written in them', async () => {
    const { shopId, token } = await t.createShop();
    const chat = newChatPhone();
    const result = await ingest(
      token,
      batch(chat, [
        { id: 'm1', text: 'Hola, mi pedido 612345678 no ha llegado' },
        {
          id: 'm2',
          direction: 'out',
          text: 'Lo miramos. ¿A qué número te llamamos?',
          sent_at: '2026-03-02T10:05:00+01:00',
        },
        { id: 'm3', text: 'Llámame al 655 12 39 87 o a mi marido, +1 (415) 555-2671' },
        { id: 'm4', text: `el mío es ${chat.slice(3)}, por si acaso` },
      ]),
    );
    assert.deepEqual(result, {
      accepted: 4,
      detected_phones: [
        { phone: chat, source: 'chat' },
        { phone: '+34655123987', source: 'message' },
        { phone: '+14155552671', source: 'message' },
      ],
    });
    const stored = await messagesOf(shopId, chat);
    assert.deepEqual(
      stored.map((m) => [m.messageId, m.direction, m.sentAt.toISOString(), m.receivedAt.toISOString()]),
      [
        ['m1', 'in', '2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z'],
        ['m2', 'out', '2026-03-02T09:05:00.000Z', '2026-03-02T10:00:00.000Z'],
        ['m3', 'in', '2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z'],
        ['m4', 'in', '2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z'],
      ],
    );
    assert.equal(stored[2]?.text, 'Llámame al 655 12 39 87 o a mi marido, +1 (415) 555-2671');
    assert.deepEqual(await phonesOf(shopId), [
      { phone: '+14155552671', source: 'message', messageId: 'm3' },
      { phone: chat, source: 'chat', messageId: null },
      { phone: '+34655123987', source: 'message', messageId: 'm3' },
    ]);
  });

  it('reads national numbers in the country of the shop', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { name: 'US store', country: 'US' },
    });
    const token = created.json().token as string;
    const result = await ingest(
      token,
      batch('+12125550100', [{ id: 'u1', text: 'call me at (415) 555-2671, not 612 345 678' }]),
    );
    assert.deepEqual(result.detected_phones, [
      { phone: '+12125550100', source: 'chat' },
      { phone: '+14155552671', source: 'message' },
    ]);
  });

  it('keeps the chat name, and renames the chat only when a new name is sent', async () => {
    const { shopId, token } = await t.createShop();
    const chat = newChatPhone();
    const nameOf = async () => {
      const [row] = await t.deps.db
        .select({ chatName: conversationChats.chatName })
        .from(conversationChats)
        .where(and(eq(conversationChats.shopId, shopId), eq(conversationChats.chatPhone, chat)));
      return row?.chatName;
    };
    await ingest(token, batch(chat, [{ id: 'a', text: 'hola' }], { chat_name: '  Ana García ' }));
    assert.equal(await nameOf(), 'Ana García');
    await ingest(token, batch(chat, [{ id: 'b', text: 'sigo aquí' }]));
    assert.equal(await nameOf(), 'Ana García');
    await ingest(token, batch(chat, [{ id: 'c', text: '¿hola?' }], { chat_name: 'Ana G.' }));
    assert.equal(await nameOf(), 'Ana G.');
  });
});

describe('reading a conversation back', () => {
  it('lists the latest messages of one chat, oldest first, and nothing of other chats or shops', async () => {
    const { shopId, token } = await t.createShop();
    const chat = newChatPhone();
    const at = (minute: number) => `2026-03-02T09:${String(minute).padStart(2, '0')}:00Z`;
    await ingest(
      token,
      batch(chat, [
        { id: 'm3', text: 'third', sent_at: at(3) },
        { id: 'm1', text: 'first', sent_at: at(1) },
        { id: 'm2', text: 'second', direction: 'out', sent_at: at(2) },
      ]),
    );
    await ingest(token, batch(newChatPhone(), [{ id: 'other', text: 'another chat', sent_at: at(4) }]));
    const latestTwo = await listRecentMessages(t.deps.db, shopId, chat, 2);
    assert.deepEqual(
      latestTwo.map((m) => [m.id, m.direction, m.text]),
      [
        ['m2', 'out', 'second'],
        ['m3', 'in', 'third'],
      ],
    );
    const otherShop = await t.createShop();
    assert.deepEqual(await listRecentMessages(t.deps.db, otherShop.shopId, chat), []);
  });
});

describe('idempotency', () => {
  it('posting the same batch again accepts nothing and detects nothing', async () => {
    const { shopId, token } = await t.createShop();
    const chat = newChatPhone();
    const body = batch(chat, [
      { id: 'x1', text: 'mi móvil 655 12 39 87' },
      { id: 'x2', text: 'gracias' },
    ]);
    assert.equal((await ingest(token, body)).accepted, 2);
    assert.deepEqual(await ingest(token, body), { accepted: 0, detected_phones: [] });
    assert.equal((await messagesOf(shopId, chat)).length, 2);
    assert.equal((await phonesOf(shopId)).length, 2);
  });

  it('a stored message keeps its first version, and only the new messages of a batch count and detect', async () => {
    const { shopId, token } = await t.createShop();
    const chat = newChatPhone();
    await ingest(token, batch(chat, [{ id: 'y1', text: 'primera versión' }]));
    const result = await ingest(
      token,
      batch(chat, [
        { id: 'y1', text: 'editado: llámame al 655 12 39 87' },
        { id: 'y2', text: 'o al 699 88 77 66' },
      ]),
    );
    assert.deepEqual(result, {
      accepted: 1,
      detected_phones: [{ phone: '+34699887766', source: 'message' }],
    });
    const stored = await messagesOf(shopId, chat);
    assert.deepEqual(
      stored.map((m) => m.text),
      ['primera versión', 'o al 699 88 77 66'],
    );
  });

  it('an id repeated inside one batch counts once, and its first copy is stored', async () => {
    const { shopId, token } = await t.createShop();
    const chat = newChatPhone();
    const result = await ingest(
      token,
      batch(chat, [
        { id: 'z1', text: 'uno' },
        { id: 'z1', text: 'dos' },
      ]),
    );
    assert.equal(result.accepted, 1);
    assert.deepEqual(
      (await messagesOf(shopId, chat)).map((m) => m.text),
      ['uno'],
    );
  });

  it('concurrent identical posts store and detect everything exactly once', async () => {
    const { shopId, token } = await t.createShop();
    const chat = newChatPhone();
    const body = batch(
      chat,
      Array.from({ length: 20 }, (_, i) => ({
        id: `c${i}`,
        text: `mi otro número es 6${String(55_000_000 + i)}`,
      })),
    );
    const results = await Promise.all(Array.from({ length: 6 }, () => ingest(token, body)));
    assert.equal(
      results.reduce((sum, r) => sum + r.accepted, 0),
      20,
    );
    const detected = results.flatMap((r) => r.detected_phones.map((d) => d.phone)).sort();
    assert.equal(detected.length, 21, 'the chat number and 20 written numbers, each once');
    assert.equal(new Set(detected).size, 21);
    assert.equal((await messagesOf(shopId, chat)).length, 20);
    assert.equal((await phonesOf(shopId)).length, 21);
  });

  it('concurrent overlapping batches, in different orders and chats, share the work without deadlock', async () => {
    const { shopId, token } = await t.createShop();
    const chats = [newChatPhone(), newChatPhone()];
    const messages = Array.from({ length: 30 }, (_, i) => ({
      id: `o${String(i).padStart(2, '0')}`,
      text: `apunta el 6${String(56_000_000 + (i % 10))}`,
    }));
    const bodies = chats.flatMap((chat) => [
      batch(chat, messages.slice(0, 20)),
      batch(chat, messages.slice(10).reverse()),
    ]);
    const results = await Promise.all(bodies.map((body) => ingest(token, body)));
    assert.equal(
      results.reduce((sum, r) => sum + r.accepted, 0),
      60,
    );
    const detected = results.flatMap((r) => r.detected_phones.map((d) => d.phone));
    assert.equal(detected.length, 12, 'two chat numbers and ten written numbers, each once in the shop');
    assert.equal(new Set(detected).size, 12);
    assert.equal((await phonesOf(shopId)).length, 12);
  });
});

describe('each phone once per shop', () => {
  it('a phone already detected in one chat is not detected again in another, as chat or as message', async () => {
    const { token } = await t.createShop();
    const first = newChatPhone();
    const second = newChatPhone();
    await ingest(token, batch(first, [{ id: 'p1', text: `mi mujer tiene el ${second}` }]));
    const result = await ingest(token, batch(second, [{ id: 'p1', text: `y mi marido el ${first}` }]));
    assert.deepEqual(result, { accepted: 1, detected_phones: [] });
  });

  it('another shop detects the same phones again and stores its own copy of the chat', async () => {
    const a = await t.createShop();
    const b = await t.createShop();
    const chat = newChatPhone();
    const body = batch(chat, [{ id: 'same-id', text: 'mi móvil 655 12 39 87' }]);
    const expected = {
      accepted: 1,
      detected_phones: [
        { phone: chat, source: 'chat' },
        { phone: '+34655123987', source: 'message' },
      ],
    };
    assert.deepEqual(await ingest(a.token, body), expected);
    assert.deepEqual(await ingest(b.token, body), expected);
    assert.equal((await messagesOf(a.shopId, chat)).length, 1);
    assert.equal((await messagesOf(b.shopId, chat)).length, 1);
  });
});

describe('who may post', () => {
  it("an agent token posts into its own shop's conversations", async () => {
    const { shopId, token } = await t.createShop();
    const agent = await t.app.inject({
      method: 'POST',
      url: '/api/agents',
      headers: { authorization: `Bearer ${token}` },
      payload: { nickname: 'maria', name: 'María' },
    });
    const agentToken = agent.json().token as string;
    const chat = newChatPhone();
    await ingest(token, batch(chat, [{ id: 'g1', text: 'hola' }]));
    const result = await ingest(
      agentToken,
      batch(chat, [
        { id: 'g1', text: 'hola' },
        { id: 'g2', text: 'adiós' },
      ]),
    );
    assert.deepEqual(
      result,
      { accepted: 1, detected_phones: [] },
      'the same shop: g1 and the chat are known',
    );
    assert.equal((await messagesOf(shopId, chat)).length, 2);
  });

  it('refuses a missing token with 401 and the admin token with 403', async () => {
    const body = batch(newChatPhone(), [{ id: 'h1', text: 'hola' }]);
    const none = await t.app.inject({ method: 'POST', url: '/api/conversations/messages', payload: body });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, 'UNAUTHORIZED');
    const admin = await post(TEST_ADMIN_TOKEN, body);
    assert.equal(admin.statusCode, 403);
    assert.match(admin.json().error.message, /a shop token or an agent token/);
  });
});

describe('invalid requests are 400s that name the field', () => {
  const valid = { id: 'v1', direction: 'in', text: 'hola', sent_at: '2026-03-02T09:00:00Z' };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['chat_phone missing', { messages: [valid] }, /chat_phone: is required/],
    [
      'chat_phone not E.164',
      { chat_phone: '612 345 678', messages: [valid] },
      /chat_phone: must be an E\.164/,
    ],
    [
      'chat_phone not a valid number',
      { chat_phone: '+34123456789', messages: [valid] },
      /chat_phone: \+34123456789 is not a valid phone number/,
    ],
    ['messages missing', { chat_phone: '+34612345678' }, /messages: is required/],
    [
      'messages empty',
      { chat_phone: '+34612345678', messages: [] },
      /messages: must list at least one message/,
    ],
    [
      'too many messages',
      {
        chat_phone: '+34612345678',
        messages: Array.from({ length: 501 }, (_, i) => ({ ...valid, id: `${i}` })),
      },
      /messages: must list at most 500 messages per request/,
    ],
    [
      'text too long',
      { chat_phone: '+34612345678', messages: [valid, { ...valid, id: 'v2', text: 'a'.repeat(65_537) }] },
      /messages\.1\.text: must be at most 65536 characters/,
    ],
    [
      'sent_at not ISO 8601',
      { chat_phone: '+34612345678', messages: [{ ...valid, sent_at: '02/03/2026 10:00' }] },
      /messages\.0\.sent_at: must be an ISO 8601 date-time with a time zone/,
    ],
    [
      'sent_at without a time zone',
      { chat_phone: '+34612345678', messages: [{ ...valid, sent_at: '2026-03-02T10:00:00' }] },
      /messages\.0\.sent_at: must be an ISO 8601/,
    ],
    [
      'direction invalid',
      { chat_phone: '+34612345678', messages: [{ ...valid, direction: 'incoming' }] },
      /messages\.0\.direction: must be "in" or "out", got "incoming"/,
    ],
    [
      'id missing',
      { chat_phone: '+34612345678', messages: [{ text: 'hola', direction: 'in', sent_at: valid.sent_at }] },
      /messages\.0\.id: is required/,
    ],
    [
      'NUL in a text',
      { chat_phone: '+34612345678', messages: [{ ...valid, text: 'a\u0000b' }] },
      /messages\.0\.text: must not contain NUL/,
    ],
    [
      'unknown field',
      { chat_phone: '+34612345678', messages: [valid], chat: 'x' },
      /unknown field\(s\) "chat"/,
    ],
  ];
  for (const [name, body, message] of cases) {
    it(name, async () => {
      const { shopId, token } = await t.createShop();
      const res = await post(token, body);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
      assert.match(res.json().error.message, message);
      assert.deepEqual(await phonesOf(shopId), [], 'a refused request stores nothing');
    });
  }
});
