// The top level of an answer: `found: false`, the per-type answers, and the shapes that are errors.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { crmEndpointTypes } from '../crm-endpoints.ts';
import { parseCrmAnswer, type CrmAnswerIssue, type CrmAnswerResult } from './index.ts';

function value<T>(result: CrmAnswerResult<T>): T {
  if (!result.ok) return assert.fail(`expected a usable answer, got errors ${JSON.stringify(result.errors)}`);
  return result.value;
}

function errors<T>(result: CrmAnswerResult<T>): CrmAnswerIssue[] {
  if (result.ok) return assert.fail(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors;
}

describe('found: false', () => {
  test('gives empty lists for every type', () => {
    assert.deepEqual(value(parseCrmAnswer('sidePanel_CustomerInfo', { found: false })), {
      found: false,
      customers: [],
    });
    assert.deepEqual(value(parseCrmAnswer('ai_CustomerInitialInfo', { found: false })), {
      found: false,
      customers: [],
      context: null,
    });
    assert.deepEqual(value(parseCrmAnswer('sidePanel_CustomerFindToJoin', { found: false, customers: [] })), {
      found: false,
      customers: [],
    });
    assert.deepEqual(value(parseCrmAnswer('search_Products', { found: 'false' })), {
      found: false,
      products: [],
    });
    assert.deepEqual(value(parseCrmAnswer('globalSearch', { found: 0, results: [] })), {
      found: false,
      results: [],
    });
    assert.deepEqual(
      value(parseCrmAnswer('verify_conversion', { found: false, converted: false, orders: [] })),
      {
        found: false,
        converted: false,
        orders: [],
      },
    );
  });

  test('ignores data sent with it: silently when empty (PHP sends `[]` for `{}`), with a warning otherwise', () => {
    const empty = parseCrmAnswer('sidePanel_CustomerInfo', { found: false, customer: [] });
    assert.deepEqual(empty, { ok: true, value: { found: false, customers: [] }, warnings: [] });
    const withData = parseCrmAnswer('sidePanel_CustomerInfo', { found: false, customers: [{ name: 'A' }] });
    assert.deepEqual(withData, {
      ok: true,
      value: { found: false, customers: [] },
      warnings: [
        {
          path: '$.customers',
          message: 'ignored because "found" is false; send "found": true when there is a match',
        },
      ],
    });
  });

  test('keeps the AI context: the CRM may know something about a phone without a customer', () => {
    const answer = value(
      parseCrmAnswer('ai_CustomerInitialInfo', { found: false, context: 'New lead from the fair' }),
    );
    assert.equal(answer.context, 'New lead from the fair');
  });

  test('an empty list with found: true is "nothing found", not an error', () => {
    assert.deepEqual(value(parseCrmAnswer('globalSearch', { found: true, results: [] })), {
      found: false,
      results: [],
    });
  });
});

describe('verify_conversion', () => {
  test('converted defaults to whether orders were sent', () => {
    const withOrders = value(
      parseCrmAnswer('verify_conversion', { orders: [{ name: '#9', amount: '49.90' }] }),
    );
    assert.equal(withOrders.found, true);
    assert.equal(withOrders.converted, true);
    assert.deepEqual(
      withOrders.orders.map((order) => [order.name, order.amount]),
      [['#9', 49.9]],
    );
    const notYet = value(parseCrmAnswer('verify_conversion', { found: true, orders: [] }));
    assert.deepEqual(notYet, { found: true, converted: false, orders: [] });
  });

  test('an explicit converted wins', () => {
    assert.deepEqual(value(parseCrmAnswer('verify_conversion', { found: true, converted: 'true' })), {
      found: true,
      converted: true,
      orders: [],
    });
  });
});

describe('unusable top-level shapes are errors that say what to send', () => {
  test('an answer that is not a JSON object, for every type', () => {
    for (const type of crmEndpointTypes) {
      for (const json of [null, [], 'OK', 42]) {
        const [error, ...more] = errors(parseCrmAnswer(type, json));
        assert.equal(error?.path, '$', `${type} ${JSON.stringify(json)}`);
        assert.match(
          error?.message ?? '',
          /^expected the answer to be a JSON object such as \{"found": true, /,
        );
        assert.match(error?.message ?? '', /or \{"found": false\}, got /);
        assert.deepEqual(more, []);
      }
    }
    assert.match(errors(parseCrmAnswer('search_Products', []))[0]?.message ?? '', /, got an empty list$/);
  });

  test('found: true without data', () => {
    assert.deepEqual(errors(parseCrmAnswer('sidePanel_CustomerInfo', { found: true })), [
      {
        path: '$',
        message:
          '"found" is true but there is no "customers" or "customer"; send {"found": true, "customers": [{"name": "…", "phone": "…"}]}, or {"found": false} when nothing matches',
      },
    ]);
    assert.deepEqual(errors(parseCrmAnswer('search_Products', { found: true, products: null })), [
      {
        path: '$',
        message:
          '"found" is true but there is no "products"; send {"found": true, "products": [{"name": "…", "price": 9.99}]}, or {"found": false} when nothing matches',
      },
    ]);
  });

  test('neither found nor data, e.g. an error body from the CRM', () => {
    const result = parseCrmAnswer('globalSearch', { error: 'not authorized' });
    assert.deepEqual(errors(result), [
      {
        path: '$',
        message:
          'the answer has no "found" and no "results"; send {"found": true, "results": [{"type": "order", "title": "…"}]}, or {"found": false} when nothing matches',
      },
    ]);
  });

  test('a `found` that is not a yes/no is a warning, and the data decides', () => {
    const result = parseCrmAnswer('search_Products', { found: 'yes', products: [{ name: 'P' }] });
    assert.deepEqual(result.warnings, [
      { path: '$.found', message: 'expected true or false, got "yes"; the field was left out' },
    ]);
    assert.equal(value(result).products[0]?.name, 'P');
  });

  test('a data key of the wrong kind', () => {
    assert.deepEqual(errors(parseCrmAnswer('sidePanel_CustomerInfo', { found: true, customers: 'Lucía' })), [
      { path: '$.customers', message: 'expected a customer object or a list of them, got "Lucía"' },
    ]);
    assert.deepEqual(errors(parseCrmAnswer('ai_CustomerInitialInfo', { found: true, customer: ['Lucía'] })), [
      { path: '$.customer', message: 'expected a customer object, got a list of 1 entry' },
    ]);
    assert.deepEqual(errors(parseCrmAnswer('verify_conversion', { converted: 'maybe' })), [
      { path: '$.converted', message: 'expected true or false, got "maybe"' },
    ]);
  });

  test('a data list none of whose entries can be used', () => {
    const result = parseCrmAnswer('search_Products', { found: true, products: ['P-1', 'P-2'] });
    assert.deepEqual(errors(result), [
      {
        path: '$.products',
        message:
          'none of the 2 entries could be used (see the warnings for each); fix them, or send {"found": false} when nothing matches',
      },
    ]);
    assert.deepEqual(
      result.warnings.map(({ path }) => path),
      ['$.products[0]', '$.products[1]'],
    );
  });
});
