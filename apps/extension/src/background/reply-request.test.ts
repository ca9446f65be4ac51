import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_INSTRUCTION_LENGTH,
  MAX_SUGGEST_REPLY_MESSAGES,
  type ConversationMessage,
} from '@parley/contract';
import { suggestReplyBody } from './reply-request.ts';

const PHONE = '+34655123987';

const message = (n: number, overrides: Partial<ConversationMessage> = {}): ConversationMessage => ({
  id: `false_34655123987@c.us_${n}`,
  direction: n % 2 === 0 ? 'in' : 'out',
  text: `message ${n}`,
  sent_at: '2026-03-02T09:21:00.000Z',
  ...overrides,
});

test('without messages on screen or an instruction, only the phone: the server reads the stored chat', () => {
  assert.deepEqual(suggestReplyBody(PHONE, null, []), { phone: PHONE });
  assert.deepEqual(suggestReplyBody(PHONE, '   ', []), { phone: PHONE });
});

test('the instruction is trimmed and kept within the contract', () => {
  assert.deepEqual(suggestReplyBody(PHONE, '  offer free shipping \n', []), {
    phone: PHONE,
    instruction: 'offer free shipping',
  });
  const long = suggestReplyBody(PHONE, 'x'.repeat(MAX_INSTRUCTION_LENGTH + 50), []);
  assert.equal(long.instruction?.length, MAX_INSTRUCTION_LENGTH);
});

test('the visible messages are the conversation, oldest first, the latest ones when there are many', () => {
  const body = suggestReplyBody(PHONE, null, [message(1), message(2)]);
  assert.deepEqual(body.messages, [message(1), message(2)]);
  const many = Array.from({ length: MAX_SUGGEST_REPLY_MESSAGES + 5 }, (_, n) => message(n));
  const kept = suggestReplyBody(PHONE, null, many).messages ?? [];
  assert.equal(kept.length, MAX_SUGGEST_REPLY_MESSAGES);
  assert.equal(kept[0]?.id, message(5).id);
  assert.equal(kept.at(-1)?.id, message(MAX_SUGGEST_REPLY_MESSAGES + 4).id);
});

test('messages without text or that the API would refuse are left out, not the whole draft', () => {
  const body = suggestReplyBody(PHONE, null, [
    message(1, { text: '' }),
    message(2, { text: '  ' }),
    message(3, { id: 'x'.repeat(300) }),
    message(4, { sent_at: 'yesterday' }),
    message(6, { text: 'a NUL \u0000 the server refuses' }),
    message(5),
  ]);
  assert.deepEqual(body.messages, [message(5)]);
  assert.deepEqual(suggestReplyBody(PHONE, null, [message(1, { text: '' })]), { phone: PHONE });
});
