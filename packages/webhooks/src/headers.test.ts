import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readHeader } from './headers.ts';

describe('readHeader', () => {
  it('finds a header whatever the case of the stored name or the asked one', () => {
    assert.equal(readHeader({ 'Webhook-ID': 'evt_1' }, 'webhook-id'), 'evt_1');
    assert.equal(readHeader({ 'webhook-id': 'evt_1' }, 'WEBHOOK-ID'), 'evt_1');
  });

  it('reads a Fetch Headers object', () => {
    assert.equal(readHeader(new Headers({ 'Webhook-Id': 'evt_1' }), 'webhook-id'), 'evt_1');
    assert.equal(readHeader(new Headers(), 'webhook-id'), undefined);
  });

  it('joins a repeated header with ", " as Node and Fetch do', () => {
    assert.equal(readHeader({ 'x-list': ['a', 'b'] }, 'x-list'), 'a, b');
  });

  it('treats an absent, undefined or empty header as missing', () => {
    assert.equal(readHeader({}, 'webhook-id'), undefined);
    assert.equal(readHeader({ 'webhook-id': undefined }, 'webhook-id'), undefined);
    assert.equal(readHeader({ 'webhook-id': '' }, 'webhook-id'), undefined);
    assert.equal(readHeader(new Headers({ 'webhook-id': '' }), 'webhook-id'), undefined);
  });
});
