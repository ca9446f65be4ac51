import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PhoneOrigin, StoreChatSnapshot } from '../shared/store-bridge.ts';
import { detectChat, identityFromDom, identityFromStore } from './detect-chat.ts';

const store = (
  chatJid: string | null,
  phoneJid: string | null,
  title: string | null,
  phoneFrom: PhoneOrigin | null = phoneJid === null ? null : 'contact',
): StoreChatSnapshot => ({ chatJid, phoneJid, phoneFrom, title, messagesReadable: true });

const dom = (headerTitle: string | null, ...messageDataIds: string[]) => ({
  open: true,
  headerTitle,
  messageDataIds,
});

test('the start screen is no chat', () => {
  assert.deepEqual(identityFromDom({ open: false, headerTitle: null, messageDataIds: [] }), { kind: 'none' });
});

test('message rows of a @c.us chat name its phone, whatever the header says', () => {
  assert.deepEqual(identityFromDom(dom('Lucía', 'false_34655123987@c.us_AAA', 'true_34655123987@c.us_BBB')), {
    kind: 'phone',
    phone: '+34655123987',
    name: 'Lucía',
    source: 'messages',
  });
});

test('@lid rows are never read as a phone; a number in the header is', () => {
  assert.deepEqual(identityFromDom(dom('Marta', 'false_172829449224331@lid_AAA')), {
    kind: 'no_phone',
    reason: 'lid',
    name: 'Marta',
    source: 'messages',
  });
  assert.deepEqual(identityFromDom(dom('+34 612 34 56 78', 'false_172829449224331@lid_AAA')), {
    kind: 'phone',
    phone: '+34612345678',
    name: '+34 612 34 56 78',
    source: 'header',
  });
});

test("a group never yields a phone: not its id, not a sender's, not a number in its name", () => {
  const group = identityFromDom(
    dom(
      '+34 600 00 00 00',
      'false_120363040000000000@g.us_AAA_34655123987@c.us',
      'true_120363040000000000@g.us_BBB',
    ),
  );
  assert.deepEqual(group, {
    kind: 'no_phone',
    reason: 'group',
    name: '+34 600 00 00 00',
    source: 'messages',
  });
});

test('an empty new chat is known by its header number only', () => {
  assert.equal(identityFromDom(dom('+52 1 55 1234 5678')).kind, 'phone');
  assert.deepEqual(identityFromDom(dom('Nuevo contacto')), {
    kind: 'no_phone',
    reason: 'unrecognized',
    name: 'Nuevo contacto',
    source: 'header',
  });
});

test('rows of two chats at once (mid-switch) are ambiguous rather than a guess', () => {
  const mixed = identityFromDom(dom('Lucía', 'false_34655123987@c.us_AAA', 'false_447700900123@c.us_BBB'));
  assert.equal(mixed.kind, 'no_phone');
  assert.equal(mixed.kind === 'no_phone' && mixed.reason, 'ambiguous');
});

test("the store's active chat: @c.us, @lid with a known number, @lid without, group", () => {
  assert.deepEqual(identityFromStore(store('5491123456789@c.us', null, 'Sofía')), {
    kind: 'phone',
    phone: '+5491123456789',
    name: 'Sofía',
    source: 'store',
  });
  assert.deepEqual(identityFromStore(store('172829449224331@lid', '14155550123@c.us', 'Emily')), {
    kind: 'phone',
    phone: '+14155550123',
    name: 'Emily',
    source: 'contact',
  });
  // Each of WhatsApp's sources is named, so the options page can say where a number came from.
  for (const origin of ['lid_map', 'contact_fields'] as const) {
    const found = identityFromStore(store('172829449224331@lid', '447911123456@c.us', 'James', origin));
    assert.equal(found.kind === 'phone' && found.source, origin);
  }
  assert.equal(identityFromStore(store('172829449224331@lid', null, 'Emily')).kind, 'no_phone');
  assert.equal(identityFromStore(store('120363040000000000@g.us', null, 'Runners')).kind, 'no_phone');
  assert.deepEqual(identityFromStore(store(null, null, null)), { kind: 'none' });
});

test('the store wins when it knows the phone; the DOM decides when the store cannot', () => {
  const lidDom = dom('+34 612 34 56 78', 'false_172829449224331@lid_AAA');
  const storeWithPhone = store('172829449224331@lid', '34655123987@c.us', 'Lucía');
  assert.deepEqual(detectChat(storeWithPhone, lidDom), {
    kind: 'phone',
    phone: '+34655123987',
    name: 'Lucía',
    source: 'contact',
  });
  const storeWithoutPhone = store('172829449224331@lid', null, 'Lucía');
  const decided = detectChat(storeWithoutPhone, lidDom);
  assert.equal(decided.kind === 'phone' && decided.phone, '+34612345678');
  assert.deepEqual(detectChat(storeWithoutPhone, dom('Lucía', 'false_172829449224331@lid_AAA')), {
    kind: 'no_phone',
    reason: 'lid',
    name: 'Lucía',
    source: 'store',
  });
  // Unreachable store (null), or a store that has not caught up with the page (no active chat).
  assert.equal(detectChat(null, dom('Lucía', 'false_34655123987@c.us_AAA')).kind, 'phone');
  assert.equal(detectChat(store(null, null, null), dom('Lucía', 'false_34655123987@c.us_AAA')).kind, 'phone');
});

test('a group in the store is not overridden by a number the DOM shows', () => {
  const group = store('120363040000000000@g.us', null, '+34 600 00 00 00');
  assert.equal(detectChat(group, dom('+34 600 00 00 00')).kind, 'no_phone');
});

test('a hidden number stays hidden: a @lid id or a @lid "phone" never becomes a phone', () => {
  // The @lid digits look like an E.164 number; taking them would look up a stranger.
  const hidden = detectChat(store('172829449224331@lid', null, 'sofia.runs'), dom('sofia.runs'));
  assert.deepEqual(hidden, { kind: 'no_phone', reason: 'lid', name: 'sofia.runs', source: 'store' });
  const lidAsPhone = store('172829449224331@lid', '172829449224331@lid', 'sofia.runs', 'lid_map');
  assert.equal(identityFromStore(lidAsPhone).kind, 'no_phone');
});
