import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChatJid, parseMessageDataId } from './whatsapp-ids.ts';

test('only @c.us ids carry a phone', () => {
  assert.deepEqual(parseChatJid('34655123987@c.us'), {
    kind: 'user',
    jid: '34655123987@c.us',
    phone: '+34655123987',
  });
  assert.deepEqual(parseChatJid('5215512345678@c.us'), {
    kind: 'user',
    jid: '5215512345678@c.us',
    phone: '+525512345678',
  });
  assert.equal(parseChatJid('34655123987:12@c.us').kind, 'user');
  assert.equal(parseChatJid('172829449224331@lid').kind, 'lid');
  assert.equal(parseChatJid('120363040000000000@g.us').kind, 'group');
  assert.equal(parseChatJid('34655123987-1600000000@g.us').kind, 'group');
  assert.equal(parseChatJid('status@broadcast').kind, 'other');
  assert.equal(parseChatJid('120363100000000000@newsletter').kind, 'other');
  assert.equal(parseChatJid('0@c.us').kind, 'other');
});

test('a message data-id names its chat, direction and id', () => {
  assert.deepEqual(parseMessageDataId('true_34655123987@c.us_3EB0C767D26A1D3E8F21'), {
    fromMe: true,
    chatJid: '34655123987@c.us',
    messageId: '3EB0C767D26A1D3E8F21',
    participantJid: null,
  });
  assert.deepEqual(parseMessageDataId('false_172829449224331@lid_ABCDEF0123456789'), {
    fromMe: false,
    chatJid: '172829449224331@lid',
    messageId: 'ABCDEF0123456789',
    participantJid: null,
  });
});

test('a group message names the group as its chat and the sender apart', () => {
  assert.deepEqual(
    parseMessageDataId('false_120363040000000000@g.us_3EB0C767D26A1D3E8F21_34655123987@c.us'),
    {
      fromMe: false,
      chatJid: '120363040000000000@g.us',
      messageId: '3EB0C767D26A1D3E8F21',
      participantJid: '34655123987@c.us',
    },
  );
});

test('other data-id values are not messages', () => {
  for (const value of [
    '',
    'chat-list',
    'true_34655123987@c.us',
    'maybe_34655123987@c.us_ABC',
    '34655123987@c.us',
  ]) {
    assert.equal(parseMessageDataId(value), null, value);
  }
});
