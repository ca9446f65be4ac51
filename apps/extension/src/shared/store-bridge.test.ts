import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeStoreAnswer, encodeStoreAnswer } from './store-bridge.ts';

test('a snapshot survives the trip between worlds', () => {
  const snapshot = { chatJid: '34655123987@c.us', phoneJid: null, title: 'Lucía' };
  assert.deepEqual(decodeStoreAnswer(encodeStoreAnswer(snapshot)), snapshot);
  assert.equal(decodeStoreAnswer(encodeStoreAnswer(null)), null);
});

test('answers that are not ours are ignored', () => {
  for (const detail of [
    undefined,
    42,
    '{',
    '"text"',
    '{"chatJid":5,"phoneJid":null,"title":null}',
    { chatJid: 'x' },
  ]) {
    assert.equal(decodeStoreAnswer(detail), null, JSON.stringify(detail));
  }
});
