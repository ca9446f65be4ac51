import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readActiveChat } from './read-store.ts';

const wid = (serialized: string) => ({
  _serialized: serialized,
  user: serialized.split('@')[0],
  server: 'c.us',
});

const pageWith = (active: unknown) => ({
  require(name: string) {
    if (name !== 'WAWebChatCollection') throw new Error(`Requiring unknown module "${name}"`);
    return { ChatCollection: { getActive: () => active } };
  },
});

test('reads the active chat, its contact number and title', () => {
  const active = {
    id: wid('172829449224331@lid'),
    formattedTitle: 'Emily Carter',
    contact: { phoneNumber: wid('14155550123@c.us') },
  };
  assert.deepEqual(readActiveChat(pageWith(active)), {
    chatJid: '172829449224331@lid',
    phoneJid: '14155550123@c.us',
    title: 'Emily Carter',
  });
});

test('no active chat is an answer (the start screen), not a failure', () => {
  assert.deepEqual(readActiveChat(pageWith(undefined)), { chatJid: null, phoneJid: null, title: null });
});

test('anything unexpected means the store is unreachable', () => {
  assert.equal(readActiveChat({}), null);
  assert.equal(
    readActiveChat({
      require: () => {
        throw new Error('not loaded');
      },
    }),
    null,
  );
  assert.equal(readActiveChat({ require: () => ({ ChatCollection: {} }) }), null);
  assert.equal(readActiveChat(pageWith({ id: 'not a wid' })), null);
});
