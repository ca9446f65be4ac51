import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createModuleGraph, SETTLE_DEADLINE_MS } from './module-graph.ts';
import { readActiveChat, readActiveMessages } from './read-store.ts';

const wid = (serialized: string) => ({
  _serialized: serialized,
  user: serialized.split('@')[0],
  server: serialized.split('@')[1],
});

/** A settled module graph over these modules (WhatsApp's Meta loader, with its registry). */
function settledGraph(modules: Record<string, unknown>) {
  let time = 0;
  const page = {
    require(name: string) {
      if (name === '__debug') return { modulesMap: modules };
      if (!(name in modules)) throw new Error(`Requiring unknown module "${name}"`);
      return modules[name];
    },
  };
  const graph = createModuleGraph(page, () => time);
  graph.settle();
  time += SETTLE_DEADLINE_MS;
  assert.equal(graph.settle(), true);
  return graph;
}

const chats = (active: unknown) => ({ WAWebChatCollection: { ChatCollection: { getActive: () => active } } });
const lidMap = (map: Record<string, string>) => ({
  getPhoneNumber: (lid: { _serialized: string }) => {
    const phone = map[lid._serialized];
    return phone === undefined ? undefined : wid(phone);
  },
});

const LID = '172829449224331@lid';

test("a @lid chat's number: contact.phoneNumber first", () => {
  const active = {
    id: wid(LID),
    formattedTitle: 'Emily Carter',
    contact: { phoneNumber: wid('14155550123@c.us') },
  };
  const graph = settledGraph({ ...chats(active), WAWebApiContact: lidMap({ [LID]: '34655123987@c.us' }) });
  assert.deepEqual(readActiveChat(graph), {
    status: 'ok',
    value: {
      chatJid: LID,
      phoneJid: '14155550123@c.us',
      phoneFrom: 'contact',
      title: 'Emily Carter',
      messagesReadable: false,
    },
  });
});

test("then WhatsApp's LID→phone map (WAWebApiContact.getPhoneNumber, or its lidPnCache)", () => {
  const active = { id: wid(LID), formattedTitle: 'James', contact: { id: wid(LID) }, msgs: { models: [] } };
  for (const api of [
    lidMap({ [LID]: '447911123456@c.us' }),
    { lidPnCache: lidMap({ [LID]: '447911123456@c.us' }) },
  ]) {
    const answer = readActiveChat(settledGraph({ ...chats(active), WAWebApiContact: api }));
    assert.equal(answer.status === 'ok' && answer.value.phoneJid, '447911123456@c.us');
    assert.equal(answer.status === 'ok' && answer.value.phoneFrom, 'lid_map');
    assert.equal(answer.status === 'ok' && answer.value.messagesReadable, true);
  }
});

test("then the contact's own fields; a hidden number stays null, whatever looks like one", () => {
  const fields = { id: wid(LID), contact: { id: wid(LID), pnForLid: wid('34911222333@c.us') } };
  const found = readActiveChat(settledGraph({ ...chats(fields), WAWebApiContact: lidMap({}) }));
  assert.equal(found.status === 'ok' && found.value.phoneFrom, 'contact_fields');
  assert.equal(found.status === 'ok' && found.value.phoneJid, '34911222333@c.us');
  const hidden = {
    id: wid(LID),
    formattedTitle: 'sofia.runs',
    // A map or a field answering a @lid, a display text: none of it is a phone.
    contact: { id: wid(LID), username: 'sofia.runs', formattedPhone: '+172829449224331', pnForLid: null },
  };
  for (const api of [
    lidMap({ [LID]: LID }),
    {
      getPhoneNumber: () => {
        throw new Error('gone');
      },
    },
    undefined,
  ]) {
    const modules = api === undefined ? chats(hidden) : { ...chats(hidden), WAWebApiContact: api };
    const answer = readActiveChat(settledGraph(modules));
    assert.equal(answer.status, 'ok');
    assert.equal(answer.status === 'ok' && answer.value.phoneJid, null);
    assert.equal(answer.status === 'ok' && answer.value.phoneFrom, null);
  }
});

test('a renamed chat collection: WAWebCollections.Chat, the active chat found by its flag', () => {
  const models = [
    { id: wid('14155550123@c.us'), formattedTitle: 'Emily', active: false },
    {
      id: wid('34655123987@c.us'),
      formattedTitle: 'Lucía',
      active: true,
      msgs: { getModelsArray: () => [] },
    },
  ];
  const graph = settledGraph({ WAWebCollections: { Chat: { getModelsArray: () => models } } });
  const answer = readActiveChat(graph);
  assert.equal(answer.status === 'ok' && answer.value.chatJid, '34655123987@c.us');
  assert.deepEqual(readActiveMessages(graph), { status: 'ok', value: [] });
});

test("the active chat's messages: text or caption, never a media body, no notifications", () => {
  const key = (fromMe: boolean, id: string) => ({ fromMe, id, remote: wid('34655123987@c.us') });
  const msgs = [
    { id: key(false, '3EB0AAAA'), type: 'chat', body: 'Hola', t: 1772443260 },
    {
      id: key(true, '3EB0BBBB'),
      type: 'image',
      body: '/9j/4AAQSkZJRg==',
      caption: 'Tu pedido',
      t: 1772443300,
    },
    { id: key(false, '3EB0CCCC'), type: 'image', body: '/9j/4AAQSkZJRg==', t: 1772443310 },
    { id: key(false, '3EB0DDDD'), type: 'e2e_notification', body: 'x', isNotification: true, t: 1772443320 },
    { id: 'not a key', type: 'chat', body: 'odd', t: 1772443330 },
  ];
  const active = { id: wid('34655123987@c.us'), msgs: { getModelsArray: () => msgs } };
  assert.deepEqual(readActiveMessages(settledGraph(chats(active))), {
    status: 'ok',
    value: [
      { id: '3EB0AAAA', fromMe: false, text: 'Hola', type: 'chat', timestamp: 1772443260 },
      { id: '3EB0BBBB', fromMe: true, text: 'Tu pedido', type: 'image', timestamp: 1772443300 },
    ],
  });
});

test('no active chat is an answer (the start screen); a graph not settled is "waiting"', () => {
  const answer = readActiveChat(settledGraph(chats(undefined)));
  assert.equal(answer.status === 'ok' && answer.value.chatJid, null);
  const waiting = createModuleGraph({ require: () => ({ modulesMap: {} }) }, () => 0);
  assert.deepEqual(readActiveChat(waiting), { status: 'waiting' });
  assert.deepEqual(readActiveMessages(waiting), { status: 'waiting' });
});

test('anything unexpected means the store is unreachable, and nothing throws', () => {
  const unreachable = { status: 'unreachable' };
  assert.deepEqual(readActiveChat(settledGraph({})), unreachable);
  assert.deepEqual(
    readActiveChat(settledGraph({ WAWebChatCollection: { ChatCollection: {} } })),
    unreachable,
  );
  assert.deepEqual(readActiveChat(settledGraph(chats({ id: 'not a wid' }))), unreachable);
  const throwing = {
    WAWebChatCollection: {
      ChatCollection: {
        getActive: () => {
          throw new Error('inside WhatsApp');
        },
      },
    },
  };
  assert.deepEqual(readActiveChat(settledGraph(throwing)), unreachable);
  const badContact = {
    id: wid(LID),
    get contact(): never {
      throw new Error('getter');
    },
  };
  const answer = readActiveChat(settledGraph(chats(badContact)));
  assert.equal(answer.status === 'ok' && answer.value.phoneJid, null);
  assert.deepEqual(readActiveMessages(settledGraph(chats({ id: wid(LID) }))), unreachable);
});
