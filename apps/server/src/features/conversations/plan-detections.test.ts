import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { planPhoneCandidates } from './plan-detections.ts';

const chat = '+34612345678';

test("the chat's own number comes first, then each written number once, credited to its first message", () => {
  const candidates = planPhoneCandidates(chat, [
    { id: 'm1', phones: ['+34655123987'] },
    { id: 'm2', phones: ['+14155552671', '+34655123987'] },
  ]);
  assert.deepEqual(candidates, [
    { phone: chat, source: 'chat', messageId: null },
    { phone: '+34655123987', source: 'message', messageId: 'm1' },
    { phone: '+14155552671', source: 'message', messageId: 'm2' },
  ]);
});

test("a message repeating the chat's own number does not make it a message find", () => {
  const candidates = planPhoneCandidates(chat, [{ id: 'm1', phones: [chat] }]);
  assert.deepEqual(candidates, [{ phone: chat, source: 'chat', messageId: null }]);
});
