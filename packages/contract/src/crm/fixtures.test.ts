// The example answers in ./fixtures, one per CRM endpoint type (docs/crm-endpoints.md#example-answers), parse
// cleanly and normalize to what the panel shows.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import aiInitialInfo from './fixtures/ai_CustomerInitialInfo.json' with { type: 'json' };
import globalSearch from './fixtures/globalSearch.json' with { type: 'json' };
import products from './fixtures/search_Products.json' with { type: 'json' };
import findToJoin from './fixtures/sidePanel_CustomerFindToJoin.json' with { type: 'json' };
import customerInfo from './fixtures/sidePanel_CustomerInfo.full.json' with { type: 'json' };
import notFound from './fixtures/sidePanel_CustomerInfo.not-found.json' with { type: 'json' };
import { parseCrmAnswer, type CrmAnswerResult } from './index.ts';

/** The value of an answer that must have parsed without errors or warnings. */
function clean<T>(result: CrmAnswerResult<T>): T {
  if (!result.ok) return assert.fail(`expected no errors, got ${JSON.stringify(result.errors)}`);
  assert.deepEqual(result.warnings, []);
  return result.value;
}

describe('reference CRM answers', () => {
  test('sidePanel_CustomerInfo (full): customer, metrics, orders with items and tracking, abandoned cart', () => {
    const { found, customers } = clean(parseCrmAnswer('sidePanel_CustomerInfo', customerInfo));
    assert.equal(found, true);
    assert.equal(customers.length, 1);
    const [lucia] = customers;
    assert.ok(lucia);
    assert.equal(lucia.name, 'Lucía Fernández Ortega');
    assert.equal(lucia.phone, '+34655123987');
    assert.equal(lucia.shopUrl, 'https://erp.example-shop.es/customers/48213');
    assert.equal(lucia.state, 'Gold member');
    assert.deepEqual(lucia.metrics, {
      ordersCount: 7,
      totalSpent: 612.4,
      totalRefunded: 39.9,
      totalDiscounts: 18,
      loyaltyPoints: null,
      currency: null,
    });
    assert.deepEqual(
      lucia.orders.map((order) => [order.name, order.date, order.amount, order.status, order.items.length]),
      [
        ['#EX-2026-0311', '2026-02-27T09:14:00Z', 149.9, 'shipped', 2],
        ['#EX-2025-1187', '2025-11-03T17:42:10Z', 79.8, 'partially_refunded', 1],
      ],
    );
    const [shipped, refunded] = lucia.orders;
    assert.deepEqual(shipped?.tracking, [
      {
        company: 'SEUR',
        number: 'SE123456789ES',
        url: 'https://tracking.example-carrier.com/SE123456789ES',
        status: 'in_transit',
        extra: {},
      },
    ]);
    assert.deepEqual(refunded?.tracking, []);
    assert.deepEqual(shipped?.items[1], {
      name: 'Merino socks (2 pack)',
      sku: 'SOX-M-2',
      quantity: 1,
      price: 30,
      image: null,
      extra: {},
    });
    assert.equal(lucia.abandonedCarts.length, 1);
    assert.equal(lucia.abandonedCarts[0]?.url, 'https://shop.example-shop.es/cart/recover/9f2c7a');
    assert.equal(lucia.abandonedCarts[0]?.amount, 54.5);
    assert.equal(lucia.abandonedCarts[0]?.items[0]?.sku, 'HV-5L');
    assert.deepEqual([lucia.tags, lucia.notes, lucia.links, lucia.lastOrder], [[], [], [], null]);
  });

  test('sidePanel_CustomerInfo (not found): an empty list', () => {
    assert.deepEqual(clean(parseCrmAnswer('sidePanel_CustomerInfo', notFound)), {
      found: false,
      customers: [],
    });
  });

  test('ai_CustomerInitialInfo: a single `customer`, its lastOrder as an order, and the context', () => {
    const { found, customers, context } = clean(parseCrmAnswer('ai_CustomerInitialInfo', aiInitialInfo));
    assert.equal(found, true);
    assert.deepEqual(
      customers.map((customer) => [
        customer.name,
        customer.email,
        customer.state,
        customer.metrics.totalSpent,
      ]),
      [['Lucía Fernández Ortega', 'lucia.fernandez@example.net', 'Gold member', 612.4]],
    );
    const lastOrder = customers[0]?.lastOrder;
    assert.equal(lastOrder?.name, '#EX-2026-0311');
    assert.equal(lastOrder?.date, '2026-02-27T09:14:00Z');
    assert.equal(lastOrder?.status, 'shipped');
    assert.deepEqual(lastOrder?.tracking, [
      {
        company: null,
        number: null,
        url: 'https://tracking.example-carrier.com/SE123456789ES',
        status: null,
        extra: {},
      },
    ]);
    assert.deepEqual(lastOrder?.extra, {}, 'trackingUrl is understood, not left in extra');
    assert.deepEqual(customers[0]?.orders, []);
    assert.match(context ?? '', /^Gold member since 2023\. Prefers replies in Spanish\./);
  });

  test('sidePanel_CustomerFindToJoin: both candidates with their ids', () => {
    const { found, customers } = clean(parseCrmAnswer('sidePanel_CustomerFindToJoin', findToJoin));
    assert.equal(found, true);
    assert.deepEqual(
      customers.map((customer) => [customer.id, customer.name, customer.phone, customer.shopUrl]),
      [
        ['48213', 'Lucía Fernández Ortega', '+34655123987', 'https://erp.example-shop.es/customers/48213'],
        [
          '50877',
          'Lucía Fernández (work account)',
          '+34911222333',
          'https://erp.example-shop.es/customers/50877',
        ],
      ],
    );
  });

  test('search_Products: products with prices, stock and variants', () => {
    const { found, products: list } = clean(parseCrmAnswer('search_Products', products));
    assert.equal(found, true);
    assert.deepEqual(
      list.map((product) => [product.id, product.sku, product.price, product.currency, product.stock]),
      [
        ['P-1042', 'TRS-BLU', 119.9, 'EUR', 14],
        ['P-1108', 'TRS-GTX', 149.9, 'EUR', 6],
      ],
    );
    assert.equal(list[0]?.image, 'https://cdn.example-shop.es/img/trs-blu.jpg');
    assert.deepEqual(
      list[0]?.variants.map((variant) => [variant.sku, variant.title, variant.price, variant.stock]),
      [
        ['TRS-38-BLU', '38 / Blue', 119.9, 3],
        ['TRS-39-BLU', '39 / Blue', 119.9, 0],
        ['TRS-40-BLU', '40 / Blue', 119.9, 11],
      ],
    );
    assert.deepEqual(list[1]?.variants, []);
  });

  test('globalSearch: customer, order and product results', () => {
    const { found, results } = clean(parseCrmAnswer('globalSearch', globalSearch));
    assert.equal(found, true);
    assert.deepEqual(
      results.map((result) => [result.type, result.title, result.url]),
      [
        ['customer', 'Lucía Fernández Ortega', 'https://erp.example-shop.es/customers/48213'],
        ['order', '#EX-2026-0311', 'https://erp.example-shop.es/orders/311'],
        ['product', 'Trail running shoes', 'https://shop.example-shop.es/products/trail-running-shoes'],
      ],
    );
    assert.equal(results[0]?.email, 'lucia.fernandez@example.net');
    assert.equal(results[1]?.subtitle, '149.90 EUR · shipped · 2026-02-27');
    assert.equal(results[2]?.phone, null);
  });
});
