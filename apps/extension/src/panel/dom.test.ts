import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeHttpUrl } from './dom.ts';

test('only absolute http(s) URLs become links', () => {
  assert.equal(safeHttpUrl('https://track.example/SE123?x=1'), 'https://track.example/SE123?x=1');
  assert.equal(safeHttpUrl('http://erp.local/orders/1'), 'http://erp.local/orders/1');
  for (const url of [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<b>x</b>',
    '/orders/1',
    'mailto:a@b.c',
    'not a url',
    null,
  ]) {
    assert.equal(safeHttpUrl(url), null, String(url));
  }
});
