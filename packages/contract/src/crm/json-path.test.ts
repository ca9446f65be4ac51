import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatJsonPath } from './json-path.ts';

test('paths are JSONPath text from $, with indexes in brackets and odd keys quoted', () => {
  assert.equal(formatJsonPath([]), '$');
  assert.equal(formatJsonPath(['customers', 0, 'orders', 1, 'amount']), '$.customers[0].orders[1].amount');
  assert.equal(
    formatJsonPath(['extra', 'order-id', '2fa', 'a b', '$ok']),
    '$.extra["order-id"]["2fa"]["a b"].$ok',
  );
  assert.equal(formatJsonPath(['say "hi"']), '$["say \\"hi\\""]');
});
