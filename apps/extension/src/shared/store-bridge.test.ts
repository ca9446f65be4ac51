import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeChatAnswer,
  decodeMessagesAnswer,
  decodeStoreRequest,
  encodeStoreAnswer,
  encodeStoreRequest,
} from './store-bridge.ts';

const snapshot = {
  chatJid: '172829449224331@lid',
  phoneJid: '447911123456@c.us',
  phoneFrom: 'lid_map' as const,
  title: 'James',
  messagesReadable: true,
};

test('answers survive the trip between worlds', () => {
  assert.deepEqual(decodeChatAnswer(encodeStoreAnswer({ status: 'ok', value: snapshot })), {
    status: 'ok',
    value: snapshot,
  });
  assert.deepEqual(decodeChatAnswer(encodeStoreAnswer({ status: 'waiting' })), { status: 'waiting' });
  const message = { id: '3EB0AAAA', fromMe: false, text: 'Hola', type: 'chat', timestamp: 1772443260 };
  assert.deepEqual(decodeMessagesAnswer(encodeStoreAnswer({ status: 'ok', value: [message] })), {
    status: 'ok',
    value: [message],
  });
  assert.equal(decodeStoreRequest(encodeStoreRequest('messages')), 'messages');
});

test('answers that are not ours read as unreachable; requests that are not ours are ignored', () => {
  for (const detail of [
    undefined,
    42,
    '{',
    '"text"',
    JSON.stringify({ status: 'ok', value: { ...snapshot, chatJid: 5 } }),
    JSON.stringify({ status: 'ok', value: { ...snapshot, phoneFrom: 'guess' } }),
    // A number without saying where it came from is not taken.
    JSON.stringify({ status: 'ok', value: { ...snapshot, phoneFrom: null } }),
    { status: 'ok', value: snapshot },
  ]) {
    assert.deepEqual(decodeChatAnswer(detail), { status: 'unreachable' }, JSON.stringify(detail));
  }
  const bad = { id: '', fromMe: false, text: 'x', type: 'chat', timestamp: 1 };
  assert.deepEqual(decodeMessagesAnswer(encodeStoreAnswer({ status: 'ok', value: [bad] })), {
    status: 'unreachable',
  });
  assert.equal(decodeStoreRequest('"everything"'), null);
  assert.equal(decodeStoreRequest({}), null);
});
