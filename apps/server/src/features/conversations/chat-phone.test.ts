import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isAppError } from '../../lib/errors.ts';
import { checkChatPhone } from './chat-phone.ts';

test('a valid number is returned in E.164', async () => {
  assert.equal(await checkChatPhone('+34612345678'), '+34612345678');
  assert.equal(await checkChatPhone('+14155552671'), '+14155552671');
});

test('an invalid number is a 400 that names chat_phone and says why', async () => {
  const refusals: Array<[string, RegExp]> = [
    ['+34123', /too short/],
    ['+3461234567890', /too long/],
    ['+34123456789', /no number is assigned/],
    ['+999123456789', /no country uses its calling code/],
  ];
  for (const [phone, why] of refusals) {
    await assert.rejects(checkChatPhone(phone), (error: unknown) => {
      assert.ok(isAppError(error));
      assert.equal(error.status, 400);
      assert.match(error.message, new RegExp(`chat_phone: \\${phone} is not a valid phone number`));
      assert.match(error.message, why);
      return true;
    });
  }
});
