// Leniency (docs/crm-endpoints.md#how-values-are-read-leniency): accepted variants, and wrong values below
// the top level as warnings with their path.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseCrmAnswer, type CrmAnswerResult, type PanelCustomer } from './index.ts';

function parsed<T>(result: CrmAnswerResult<T>) {
  if (!result.ok) return assert.fail(`expected a usable answer, got errors ${JSON.stringify(result.errors)}`);
  return result;
}

/** The single customer of a sidePanel_CustomerInfo answer, and the warnings. */
function onlyCustomer(customer: Record<string, unknown>): { customer: PanelCustomer; warnings: string[] } {
  const { value, warnings } = parsed(parseCrmAnswer('sidePanel_CustomerInfo', { found: true, customer }));
  assert.equal(value.customers.length, 1);
  const [only] = value.customers;
  assert.ok(only);
  return { customer: only, warnings: warnings.map(({ path, message }) => `${path}: ${message}`) };
}

describe('accepted variants', () => {
  test('numbers sent as plain decimal strings are numbers; blanks and null are simply absent', () => {
    const { customer, warnings } = onlyCustomer({
      ordersCount: '7',
      totalSpent: ' 612.40 ',
      totalRefunded: '-3.5',
      totalDiscounts: '',
      loyaltyPoints: null,
      email: '',
    });
    assert.deepEqual(customer.metrics, {
      ordersCount: 7,
      totalSpent: 612.4,
      totalRefunded: -3.5,
      totalDiscounts: null,
      loyaltyPoints: null,
      currency: null,
    });
    assert.equal(customer.email, null);
    assert.deepEqual(warnings, []);
  });

  test('numbers with thousands separators or decimal commas are refused, not guessed', () => {
    const { customer, warnings } = onlyCustomer({ totalSpent: '1.234,56', totalRefunded: '1,234.56' });
    assert.equal(customer.metrics.totalSpent, null);
    assert.equal(customer.metrics.totalRefunded, null);
    assert.deepEqual(warnings, [
      '$.customer.totalSpent: expected a number, got "1.234,56"; send a JSON number or a plain decimal string such as "1234.56" (no thousands separators, "." for decimals); the field was left out',
      '$.customer.totalRefunded: expected a number, got "1,234.56"; send a JSON number or a plain decimal string such as "1234.56" (no thousands separators, "." for decimals); the field was left out',
    ]);
  });

  test('ids may be numbers or strings, and text fields accept numbers', () => {
    const { customer } = onlyCustomer({ id: 48213, name: 'Lucía', orders: [{ name: 1001 }] });
    assert.equal(customer.id, '48213');
    assert.equal(customer.orders[0]?.name, '1001');
  });

  test('`found` may be missing when data is present, and may be sent as "true"/1', () => {
    for (const found of [{}, { found: 'true' }, { found: 1 }]) {
      const { value, warnings } = parsed(
        parseCrmAnswer('sidePanel_CustomerInfo', { ...found, customers: [{ name: 'A' }] }),
      );
      assert.equal(value.found, true, JSON.stringify(found));
      assert.deepEqual(warnings, [], JSON.stringify(found));
      assert.deepEqual(
        value.customers.map((customer) => customer.name),
        ['A'],
      );
    }
  });

  test('`customer` and `customers` both become `customers`; when both are sent, `customers` wins', () => {
    const single = parsed(
      parseCrmAnswer('sidePanel_CustomerInfo', { found: true, customer: { name: 'One' } }),
    );
    assert.deepEqual(
      single.value.customers.map((customer) => customer.name),
      ['One'],
    );
    const list = parsed(
      parseCrmAnswer('sidePanel_CustomerInfo', { customers: [{ name: 'Two' }, { name: 'Three' }] }),
    );
    assert.deepEqual(
      list.value.customers.map((customer) => customer.name),
      ['Two', 'Three'],
    );
    const oneAsList = parsed(parseCrmAnswer('sidePanel_CustomerInfo', { customers: { name: 'Alone' } }));
    assert.deepEqual(
      oneAsList.value.customers.map((customer) => customer.name),
      ['Alone'],
    );
    const both = parsed(
      parseCrmAnswer('sidePanel_CustomerInfo', { customer: { name: 'One' }, customers: [{ name: 'Two' }] }),
    );
    assert.deepEqual(
      both.value.customers.map((customer) => customer.name),
      ['Two'],
    );
    assert.deepEqual(both.warnings, [
      { path: '$.customer', message: 'ignored because "customers" is also present; send only one of them' },
    ]);
  });

  test('tracking as one object or a list, notes as a string or a list, tags as a comma-separated string', () => {
    const { customer, warnings } = onlyCustomer({
      notes: 'Prefers WhatsApp, mornings only',
      tags: 'vip, wholesale,,',
      orders: [
        { name: 'A', tracking: { company: 'SEUR', number: 'S1' } },
        { name: 'B', tracking: [{ number: 'C1' }, { number: 'C2' }] },
      ],
    });
    assert.deepEqual(customer.notes, ['Prefers WhatsApp, mornings only']);
    assert.deepEqual(customer.tags, ['vip', 'wholesale']);
    assert.deepEqual(
      customer.orders.map((order) => order.tracking.map((entry) => entry.number)),
      [['S1'], ['C1', 'C2']],
    );
    assert.deepEqual(onlyCustomer({ notes: ['first', 'second'] }).customer.notes, ['first', 'second']);
    assert.deepEqual(warnings, []);
  });

  test('dates are kept as ISO 8601 text, SQL-style spaces and ±HHMM offsets normalized', () => {
    const { customer, warnings } = onlyCustomer({
      registeredAt: '2023-05-01 10:00:00',
      orders: [{ date: '2026-02-27T09:14:00+0100' }, { date: '2026-02-27' }],
    });
    assert.equal(customer.registeredAt, '2023-05-01T10:00:00');
    assert.deepEqual(
      customer.orders.map((order) => order.date),
      ['2026-02-27T09:14:00+01:00', '2026-02-27'],
    );
    assert.deepEqual(warnings, []);
  });

  test('links become {label, url}; a link without a label is labelled with its URL', () => {
    const { customer } = onlyCustomer({
      links: [
        { label: 'Invoices', url: 'https://erp.example.com/invoices?c=1' },
        { url: 'https://erp.example.com/' },
      ],
    });
    assert.deepEqual(customer.links, [
      { label: 'Invoices', url: 'https://erp.example.com/invoices?c=1' },
      { label: 'https://erp.example.com/', url: 'https://erp.example.com/' },
    ]);
  });

  test('a structured address is shown on one line; a currency code is upper-cased', () => {
    const { customer } = onlyCustomer({
      address: { street: 'Calle Mayor 1', zip: '28013', city: 'Madrid', floor: null },
      currency: 'eur',
    });
    assert.equal(customer.address, 'Calle Mayor 1, 28013, Madrid');
    assert.equal(customer.metrics.currency, 'EUR');
  });
});

describe('unknown fields', () => {
  test('are kept, as sent, under `extra` at every level', () => {
    const { customer } = onlyCustomer({
      name: 'A',
      vatNumber: 'ES123',
      marketing: { optIn: true },
      orders: [
        {
          name: 'B',
          paymentMethod: 'card',
          items: [{ name: 'C', color: 'blue' }],
          tracking: { number: 'T', eta: '2026-03-02' },
        },
      ],
      abandonedCarts: [{ url: 'https://shop.example.com/cart/1', channel: 'web' }],
    });
    assert.deepEqual(customer.extra, { vatNumber: 'ES123', marketing: { optIn: true } });
    assert.deepEqual(customer.orders[0]?.extra, { paymentMethod: 'card' });
    assert.deepEqual(customer.orders[0]?.items[0]?.extra, { color: 'blue' });
    assert.deepEqual(customer.orders[0]?.tracking[0]?.extra, { eta: '2026-03-02' });
    assert.deepEqual(customer.abandonedCarts[0]?.extra, { channel: 'web' });
  });

  test('are kept on products, variants and search results too', () => {
    const productAnswer = parsed(
      parseCrmAnswer('search_Products', {
        products: [{ name: 'P', brand: 'Acme', variants: [{ sku: 'V', color: 'red' }] }],
      }),
    );
    assert.deepEqual(productAnswer.value.products[0]?.extra, { brand: 'Acme' });
    assert.deepEqual(productAnswer.value.products[0]?.variants[0]?.extra, { color: 'red' });
    const searchAnswer = parsed(parseCrmAnswer('globalSearch', { results: [{ title: 'R', score: 0.9 }] }));
    assert.deepEqual(searchAnswer.value.results[0]?.extra, { score: 0.9 });
  });
});

describe('wrong values below the top level', () => {
  test('a wrong nested field is a warning with its exact path; the rest of the answer is kept', () => {
    const result = parsed(
      parseCrmAnswer('sidePanel_CustomerInfo', {
        found: true,
        customers: [
          { name: 'First' },
          {
            name: 'Second',
            orders: [
              { name: '#1', amount: 10 },
              { name: '#2', amount: 'abc', status: 'paid' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(result.warnings, [
      {
        path: '$.customers[1].orders[1].amount',
        message:
          'expected a number, got "abc"; send a JSON number or a plain decimal string such as "1234.56" (no thousands separators, "." for decimals); the field was left out',
      },
    ]);
    const orders = result.value.customers[1]?.orders;
    assert.deepEqual(
      orders?.map((order) => [order.name, order.amount, order.status]),
      [
        ['#1', 10, null],
        ['#2', null, 'paid'],
      ],
    );
    assert.equal(result.value.customers[0]?.name, 'First');
  });

  test('a wrong list entry is left out, and later entries keep the index the CRM sent', () => {
    const result = parsed(
      parseCrmAnswer('sidePanel_CustomerInfo', {
        customers: [{ name: 'A', orders: ['#1', { name: '#2', date: 'yesterday' }, { name: '#3' }] }],
      }),
    );
    assert.deepEqual(
      result.warnings.map(({ path }) => path),
      ['$.customers[0].orders[0]', '$.customers[0].orders[1].date'],
    );
    assert.equal(result.warnings[0]?.message, 'expected an order object, got "#1"; the entry was left out');
    assert.equal(
      result.warnings[1]?.message,
      'expected an ISO 8601 date such as "2026-02-27T09:14:00Z", got "yesterday"; the field was left out',
    );
    assert.deepEqual(
      result.value.customers[0]?.orders.map((order) => order.name),
      ['#2', '#3'],
    );
  });

  test('a wrong field inside a single tracking object is reported at its path as sent', () => {
    const result = parsed(
      parseCrmAnswer('verify_conversion', {
        converted: true,
        orders: [{ name: '#1', tracking: { number: 'T1', url: 42 } }],
      }),
    );
    assert.deepEqual(
      result.warnings.map(({ path }) => path),
      ['$.orders[0].tracking.url'],
    );
    assert.equal(result.value.orders[0]?.tracking[0]?.number, 'T1');
  });

  test('an impossible calendar date and an unknown currency are warnings', () => {
    const { customer, warnings } = onlyCustomer({
      registeredAt: '2026-02-30',
      abandonedCarts: [{ amount: 5, currency: '€' }],
    });
    assert.equal(customer.registeredAt, null);
    assert.equal(customer.abandonedCarts[0]?.currency, null);
    assert.equal(customer.abandonedCarts[0]?.amount, 5);
    assert.deepEqual(warnings, [
      '$.customer.registeredAt: expected an ISO 8601 date such as "2026-02-27T09:14:00Z", got "2026-02-30"; the field was left out',
      '$.customer.abandonedCarts[0].currency: expected an ISO 4217 currency code such as "EUR", got "€"; the field was left out',
    ]);
  });
  test('a flood of wrong entries is listed up to 100 warnings, then counted', () => {
    const products = [{ name: 'Usable' }, ...Array.from({ length: 250 }, (_, index) => `P-${index}`)];
    const result = parsed(parseCrmAnswer('search_Products', { found: true, products }));
    assert.deepEqual(
      result.value.products.map((product) => product.name),
      ['Usable'],
    );
    assert.equal(result.warnings.length, 101);
    assert.equal(result.warnings[99]?.path, '$.products[100]');
    assert.deepEqual(result.warnings[100], {
      path: '$',
      message: '150 more warnings like the ones above were not listed',
    });
  });

  test("the caller's JSON is left as it was", () => {
    const json = { customers: [{ name: 'A', totalSpent: 'abc', links: [{ url: 'javascript:x' }] }, 'B'] };
    const before = structuredClone(json);
    parsed(parseCrmAnswer('sidePanel_CustomerInfo', json));
    assert.deepEqual(json, before);
  });
});

describe('URLs the panel renders as links', () => {
  test('javascript:, data: and relative URLs are dropped with a warning; http(s) ones are kept', () => {
    const { customer, warnings } = onlyCustomer({
      shopUrl: 'javascript:alert(document.cookie)',
      orders: [
        {
          url: ' JavaScript:alert(1)',
          items: [{ name: 'I', image: 'data:image/svg+xml,<svg onload=alert(1)>' }],
          tracking: { url: '/track/1', number: 'T' },
          trackingUrl: 'vbscript:msgbox(1)',
        },
      ],
      abandonedCarts: [{ url: 'http://shop.example.com/cart/1' }],
    });
    assert.equal(customer.shopUrl, null);
    assert.equal(customer.orders[0]?.url, null);
    assert.equal(customer.orders[0]?.items[0]?.image, null);
    assert.deepEqual(customer.orders[0]?.tracking, [
      { company: null, number: 'T', url: null, status: null, extra: {} },
    ]);
    assert.equal(customer.abandonedCarts[0]?.url, 'http://shop.example.com/cart/1');
    assert.deepEqual(
      warnings.map((warning) => warning.split(': ')[0]),
      [
        '$.customer.shopUrl',
        '$.customer.orders[0].url',
        '$.customer.orders[0].items[0].image',
        '$.customer.orders[0].tracking.url',
        '$.customer.orders[0].trackingUrl',
      ],
    );
    assert.match(
      warnings[0] ?? '',
      /expected an absolute http:\/\/ or https:\/\/ URL, got "javascript:alert/,
    );
  });

  test('a link whose URL is unusable or missing is left out as a whole, with a warning saying why', () => {
    const { customer, warnings } = onlyCustomer({
      links: [
        { label: 'Evil', url: 'javascript:alert(1)' },
        { label: 'No URL' },
        { label: 'Fine', url: 'https://erp.example.com/c/1' },
      ],
    });
    assert.deepEqual(customer.links, [{ label: 'Fine', url: 'https://erp.example.com/c/1' }]);
    assert.deepEqual(warnings, [
      '$.customer.links[0].url: expected an absolute http:// or https:// URL, got "javascript:alert(1)"; the field was left out',
      '$.customer.links[1]: the entry was left out: "url" is required (expected an absolute http:// or https:// URL, got nothing)',
      '$.customer.links[0]: the entry was left out: its required "url" was left out',
    ]);
  });

  test('a `__proto__` key cannot smuggle an unchecked URL into a field', () => {
    const customer = JSON.parse('{"name": "A", "__proto__": {"shopUrl": "javascript:alert(1)"}}') as Record<
      string,
      unknown
    >;
    const { customer: normalized } = onlyCustomer(customer);
    assert.equal(normalized.shopUrl, null);
    assert.equal(Object.hasOwn(normalized.extra, '__proto__'), false);
  });
});
