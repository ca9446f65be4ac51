// The one-pass readers must agree with the zod schemas: whatever a reader accepts, zod accepts with the
// same value, and everything zod would warn about is rejected, so the lenient parse then runs zod.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { crmEndpointTypes, type CrmEndpointType } from '../crm-endpoints.ts';
import { crmAnswerSchemas } from './answer-schemas.ts';
import { fastReaderOf, REJECT } from './fast-read.ts';
import aiInitialInfo from './fixtures/ai_CustomerInitialInfo.json' with { type: 'json' };
import globalSearch from './fixtures/globalSearch.json' with { type: 'json' };
import products from './fixtures/search_Products.json' with { type: 'json' };
import findToJoin from './fixtures/sidePanel_CustomerFindToJoin.json' with { type: 'json' };
import customerInfo from './fixtures/sidePanel_CustomerInfo.full.json' with { type: 'json' };
import notFound from './fixtures/sidePanel_CustomerInfo.not-found.json' with { type: 'json' };

/** Values as JSON would carry them: absent and undefined keys are the same thing to the panel model. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function compare(type: CrmEndpointType, input: unknown) {
  const schema = crmAnswerSchemas[type];
  const read = fastReaderOf(schema);
  assert.ok(read, `${type} has a fast reader`);
  return { fast: read(input), zod: schema.safeParse(input) };
}

/** The reader accepts `input`, and gives what zod gives. */
function assertSameValue(type: CrmEndpointType, input: unknown) {
  const { fast, zod } = compare(type, input);
  assert.notEqual(fast, REJECT, `the reader should accept ${JSON.stringify(input)}`);
  assert.ok(zod.success, `zod should accept ${JSON.stringify(input)}`);
  assert.deepEqual(asJson(fast), asJson(zod.data));
}

/** zod refuses something in `input` (a warning or an error), and so does the reader. */
function assertRejected(type: CrmEndpointType, input: unknown) {
  const { fast, zod } = compare(type, input);
  assert.equal(zod.success, false, `zod should refuse ${JSON.stringify(input)}`);
  assert.equal(fast, REJECT, `the reader should reject ${JSON.stringify(input)}`);
}

const customer = (fields: Record<string, unknown>) => ({ found: true, customer: fields });

describe('answers with nothing to leave out', () => {
  test('the reference answers read as zod reads them', () => {
    assertSameValue('sidePanel_CustomerInfo', customerInfo);
    assertSameValue('sidePanel_CustomerInfo', notFound);
    assertSameValue('ai_CustomerInitialInfo', aiInitialInfo);
    assertSameValue('sidePanel_CustomerFindToJoin', findToJoin);
    assertSameValue('search_Products', products);
    assertSameValue('globalSearch', globalSearch);
  });

  test('every accepted variant of a field reads as zod reads it', () => {
    const variants: Array<Record<string, unknown>> = [
      { id: 48213, name: '  Lucía  ', email: '', phone: null, ordersCount: '7', totalSpent: ' 612.40 ' },
      { totalRefunded: '-3.5', totalDiscounts: '', loyaltyPoints: 12, currency: ' eur ' },
      { tags: 'vip, wholesale,,', notes: 'Prefers WhatsApp, mornings only', segment: 1 },
      { tags: ['a', null, ' ', 3], notes: ['first', 'second'], state: '' },
      { address: { street: 'Calle Mayor 1', zip: 28013, city: 'Madrid', floor: null } },
      { address: {}, registeredAt: '2023-05-01 10:00:00' },
      { registeredAt: '2026-02-27T09:14:00+0100', shopUrl: ' HTTPS://Example.com/a b?x=1#f ' },
      {
        links: [
          { label: 'Invoices', url: 'https://erp.example.com/invoices?c=1' },
          { url: 'http://a.example/' },
        ],
      },
      {
        orders: [
          {
            name: 1001,
            date: '2026-02-27',
            tracking: { number: 'T', eta: 'soon' },
            trackingUrl: 'https://t.example/1',
          },
          {
            tracking: [{ number: 'C1' }, { company: 'SEUR', url: 'https://seur.example/x' }],
            items: [{ sku: 'S', price: '9.5' }],
          },
          { items: null, tracking: null, amount: 0, netAmount: '0.5' },
        ],
        lastOrder: { name: '#9', amount: '49.90' },
      },
      { abandonedCarts: [{ date: '2026-03-01T21:05:33Z', amount: '54.5', currency: 'EUR', items: [] }] },
      {
        vatNumber: 'ES123',
        marketing: { optIn: true },
        orders: [{ paymentMethod: 'card', items: [{ color: 'blue' }] }],
      },
    ];
    for (const fields of variants) assertSameValue('sidePanel_CustomerInfo', customer(fields));
    assertSameValue('sidePanel_CustomerInfo', { found: 'true', customers: { name: 'Alone' } });
    assertSameValue('sidePanel_CustomerInfo', {
      found: 1,
      customers: [{ name: 'A' }, { name: 'B' }],
      extra: [1],
    });
    assertSameValue('ai_CustomerInitialInfo', { found: false, context: ' New lead ' });
    assertSameValue('search_Products', {
      products: [
        { id: 7, price: '19.99', stock: '3', variants: [{ id: 1, title: 'Red', stock: 0 }], brand: 'Acme' },
      ],
    });
    assertSameValue('globalSearch', {
      results: { type: 'order', title: 'R', score: 0.9, url: 'https://x.example/' },
    });
    assertSameValue('verify_conversion', { converted: 'false', orders: [] });
  });

  test('a "__proto__" key sent by the CRM is not copied, as zod does not copy it', () => {
    assertSameValue(
      'sidePanel_CustomerInfo',
      JSON.parse('{"customer": {"name": "A", "__proto__": {"x": 1}}}'),
    );
  });
});

describe('answers with something to leave out are left to zod', () => {
  test('each kind of wrong value is rejected', () => {
    const wrong: Array<Record<string, unknown>> = [
      { name: { first: 'A' } },
      { id: true },
      { totalSpent: '1.234,56' },
      { ordersCount: '1' + '0'.repeat(400) },
      { currency: 'euro' },
      { currency: 978 },
      { registeredAt: '2026-02-30' },
      { registeredAt: 20260227 },
      { shopUrl: 'javascript:alert(1)' },
      { shopUrl: '/relative' },
      { shopUrl: `https://example.com/${'a'.repeat(2100)}` },
      { links: [{ label: 'No URL' }] },
      { links: [{ url: 'data:text/html,x' }] },
      { tags: 5 },
      { notes: { a: 1 } },
      { orders: 'none' },
      { orders: ['#1'] },
      { orders: [{ tracking: 'T1' }] },
      { orders: [{ tracking: [{ url: 42 }] }] },
      { orders: [{ items: [{ quantity: 'two' }] }] },
      { lastOrder: 'yesterday' },
      { abandonedCarts: [{ currency: '€' }] },
    ];
    for (const fields of wrong) assertRejected('sidePanel_CustomerInfo', customer(fields));
    assertRejected('sidePanel_CustomerInfo', { found: 'maybe', customers: [] });
    assertRejected('sidePanel_CustomerInfo', { customers: 'A' });
    assertRejected('sidePanel_CustomerInfo', ['not', 'an', 'object']);
    assertRejected('search_Products', { products: [{ variants: [{ price: [] }] }] });
    assertRejected('verify_conversion', { converted: 'yes' });
  });

  test('every type has a reader', () => {
    for (const type of crmEndpointTypes) assert.ok(fastReaderOf(crmAnswerSchemas[type]), type);
  });
});
