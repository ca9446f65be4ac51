import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createPhoneFinder } from './find-phones.ts';

const inSpain = await createPhoneFinder('ES');
const inUs = await createPhoneFinder('US');

describe('phones written in Spanish texts (shop in ES)', () => {
  const cases: Array<[string, string[]]> = [
    ['Llámame al 612 345 678', ['+34612345678']],
    ['mi número es +34 655 12 39 87', ['+34655123987']],
    ['Mi WhatsApp: 612-34-56-78, gracias', ['+34612345678']],
    ['fijo 91 123 45 67, móvil 0034 612 34 56 78', ['+34911234567', '+34612345678']],
    ['Te paso mi móvil para el envío: 612345678', ['+34612345678']],
    ['Sobre el pedido, llámame al 612345678', ['+34612345678']],
    ['mi hermana en México: +52 55 1234 5678', ['+525512345678']],
    ['escríbeme a wa.me/34655123987', ['+34655123987']],
    ['mi teléfono: ６１２３４５６７８', ['+34612345678']],
  ];
  for (const [text, phones] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(inSpain(text), phones));
  }
});

describe('phones written in English texts', () => {
  it('an international number is found whatever the shop country', () => {
    assert.deepEqual(inSpain('call me at +1 (415) 555-2671'), ['+14155552671']);
    assert.deepEqual(inSpain('my London office is +44 20 7946 0958'), ['+442079460958']);
  });

  it('a national number is read in the shop country', () => {
    assert.deepEqual(inUs('call me at (415) 555-2671 tomorrow'), ['+14155552671']);
    assert.deepEqual(inSpain('call me at (415) 555-2671 tomorrow'), []);
    assert.deepEqual(inUs('Llámame al 612 345 678'), []);
  });

  it('each phone once, in the order written, whatever its formatting', () => {
    assert.deepEqual(inUs('(415) 555-2671 or 415.555.2671, else +1 212 555 0100'), [
      '+14155552671',
      '+12125550100',
    ]);
  });
});

describe('what is not a phone', () => {
  const notPhones: Array<[string, string]> = [
    ['ES', 'my order #1234567 arrived 12/03/2026'],
    ['ES', 'pedido #EX-2026-0311'],
    ['ES', 'pedido 612345678'],
    ['ES', 'El pedido 612345678 no ha llegado'],
    ['ES', 'número de pedido: 612 345 678'],
    ['ES', 'factura nº 912345678'],
    ['ES', 'ref:612345678'],
    ['ES', 'el código es 612345678'],
    ['ES', '#612345678'],
    ['US', 'order #4155552671'],
    ['US', 'Your order number is 4155552671'],
    ['US', 'invoice 4155552671 is attached'],
    ['ES', 'llegó el 2026-02-27'],
    ['ES', 'llegó el 27/02/2026'],
    ['ES', 'el 27-02-2026 o el 27.02.2026'],
    ['ES', 'a las 2026-03-02 10:30'],
    ['ES', 'precio 612.345.678 €'],
    ['ES', 'son € 612345678'],
    ['ES', 'son 612345678 EUR'],
    ['ES', 'total 1.234,56€'],
    ['US', 'that is $4155552671'],
    ['US', 'a 4155552671 % increase'],
    ['ES', 'CP 28013 Madrid, C/ Mayor 12'],
    ['US', 'zip 94103'],
    ['ES', 'tracking SE123456789ES'],
    ['ES', 'UPS 1Z999AA10123456784'],
    ['ES', 'seguimiento JD014600006281230704'],
    ['ES', 'IBAN ES91 2100 0418 4502 0005 1332'],
    ['ES', 'tarjeta 4111 1111 1111 1111'],
    ['ES', 'DNI 12345678Z'],
    ['ES', 'atención al cliente 900 123 456, tarificación 806 123 456 o 902 123 456'],
    ['US', 'toll free 1-800-555-0199'],
    ['ES', 'Hola, ¿tenéis la talla 42 en azul?'],
  ];
  for (const [country, text] of notPhones) {
    it(`${country} ${JSON.stringify(text)}`, async () =>
      assert.deepEqual((await createPhoneFinder(country))(text), []));
  }
});

describe('default country', () => {
  it('the shortest valid numbers of the metadata are still read (Tokelau has 4 digits)', async () => {
    assert.deepEqual((await createPhoneFinder('TK'))('call 7290 now'), ['+6907290']);
  });

  it('an unsupported country finds only numbers written with their country code', async () => {
    assert.deepEqual((await createPhoneFinder('ZZ'))('612 345 678 o +34 655 12 39 87'), ['+34655123987']);
  });
});
