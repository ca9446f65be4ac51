import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phoneFromDisplayedNumber, phoneFromWhatsAppDigits } from './phone.ts';

test('WhatsApp digits become E.164', () => {
  assert.equal(phoneFromWhatsAppDigits('34655123987'), '+34655123987');
  assert.equal(phoneFromWhatsAppDigits('447700900123'), '+447700900123');
});

test('Mexico: the mobile 1 after 52 is dropped (521 + 10 digits → 52 + 10 digits)', () => {
  assert.equal(phoneFromWhatsAppDigits('5215512345678'), '+525512345678');
  assert.equal(phoneFromWhatsAppDigits('525512345678'), '+525512345678');
});

test('Argentina: mobiles keep their 9, and a number without it gets it back (54 → 549)', () => {
  assert.equal(phoneFromWhatsAppDigits('5491123456789'), '+5491123456789');
  assert.equal(phoneFromWhatsAppDigits('541123456789'), '+5491123456789');
  assert.equal(phoneFromWhatsAppDigits('543514567890'), '+5493514567890');
});

test('what cannot be a phone is refused', () => {
  for (const digits of ['', '0034655123987', '12345', '1234567890123456', '34 655', 'abc']) {
    assert.equal(phoneFromWhatsAppDigits(digits), null, digits);
  }
});

test('a displayed number (unsaved contact) is read with its spacing, bidi marks and country quirks', () => {
  assert.equal(phoneFromDisplayedNumber('+34 655 12 39 87'), '+34655123987');
  assert.equal(phoneFromDisplayedNumber('\u202a+34 655 12 39 87\u202c'), '+34655123987');
  assert.equal(phoneFromDisplayedNumber('+52 1 55 1234 5678'), '+525512345678');
  assert.equal(phoneFromDisplayedNumber('+54 9 11 2345-6789'), '+5491123456789');
  assert.equal(phoneFromDisplayedNumber('+1 (415) 555-0123'), '+14155550123');
});

test('a name, or a number without its +, is not a displayed phone', () => {
  for (const text of ['Lucía Fernández', '655 12 39 87', 'Pedido +34 655', '+34', 'Tienda 24/7']) {
    assert.equal(phoneFromDisplayedNumber(text), null, text);
  }
});
