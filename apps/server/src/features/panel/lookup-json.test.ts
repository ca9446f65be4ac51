import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { CustomerLookupResponse, PanelCustomer } from '@parley/contract';
import { lookupJson } from './lookup-json.ts';

const customer = {
  id: '48213',
  name: 'Lucía',
  tags: ['vip'],
  extra: { tier: 'gold' },
} as unknown as PanelCustomer;

const answer = (customers: PanelCustomer[], cached: boolean): CustomerLookupResponse => ({
  phone: '+34655123987',
  status: 'found',
  fetched_at: '2026-03-02T10:00:00.000Z',
  latency_ms: 12,
  warnings: [],
  customers,
  linked_phones: [],
  cached,
});

test('the text is the JSON of the whole answer', () => {
  const response = answer([customer], false);
  assert.deepEqual(JSON.parse(lookupJson(response)), response);
  const empty = answer([], false);
  assert.deepEqual(JSON.parse(lookupJson(empty)), empty);
});

test("one cached answer's customers are serialized once, the rest every time", () => {
  const customers = [customer];
  lookupJson(answer(customers, false));
  // Changed in place after the first serialization: the stored text is what is sent.
  customers.push({ ...customer, id: 'other' });
  const second = JSON.parse(lookupJson(answer(customers, true))) as CustomerLookupResponse;
  assert.deepEqual(
    second.customers.map((c) => c.id),
    ['48213'],
  );
  assert.equal(second.cached, true);
});
