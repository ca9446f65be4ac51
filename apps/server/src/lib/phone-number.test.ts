import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parsePhoneNumber } from './phone-number.ts';

test('the forms people type all become one E.164 number, national ones read with the default country', async () => {
  for (const input of ['+34 655 12 39 87', '0034655123987', '655123987', '655 12 39 87', '+34655123987']) {
    assert.deepEqual(await parsePhoneNumber(input, 'ES'), { ok: true, e164: '+34655123987' }, input);
  }
  assert.deepEqual(await parsePhoneNumber('(415) 555-2671', 'US'), { ok: true, e164: '+14155552671' });
  // An international number does not depend on the default country.
  assert.deepEqual(await parsePhoneNumber('+1 415 555 2671', 'ES'), { ok: true, e164: '+14155552671' });
});

test('an unusable input is refused with the reason', async () => {
  assert.deepEqual(await parsePhoneNumber('abc', 'ES'), { ok: false, problem: 'it is not a phone number' });
  assert.deepEqual(await parsePhoneNumber('12', 'ES'), { ok: false, problem: 'it is too short' });
  assert.deepEqual(await parsePhoneNumber('+346551239870000', 'ES'), {
    ok: false,
    problem: 'it is too long',
  });
  assert.deepEqual(await parsePhoneNumber('+34 500 000 000', 'ES'), {
    ok: false,
    problem: 'no number is assigned in that range',
  });
  // A national number needs a country; an unknown default country gives none.
  assert.equal((await parsePhoneNumber('655123987', 'XX')).ok, false);
});
