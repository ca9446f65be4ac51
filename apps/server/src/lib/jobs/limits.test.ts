import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { pickWithinLimits, saturatedKeys, type ClaimLimits } from './limits.ts';

const candidates = ['a1', 'a2', 'b1', 'a3', 'c1', 'b2'].map((label) => ({ key: label[0] ?? '', label }));
const labels = (picked: Array<{ label: string }>) => picked.map((c) => c.label);

test('each key gets at most its cap, counting what it already runs; order is kept', () => {
  const limits: ClaimLimits = { total: 10, perKey: 2, busy: new Map([['b', 1]]) };
  assert.deepEqual(labels(pickWithinLimits(candidates, limits)), ['a1', 'a2', 'b1', 'c1']);
});

test('the total stops the pick, and a saturated key is skipped without stopping the others', () => {
  assert.deepEqual(labels(pickWithinLimits(candidates, { total: 3, perKey: 5, busy: new Map() })), [
    'a1',
    'a2',
    'b1',
  ]);
  const limits: ClaimLimits = { total: 10, perKey: 2, busy: new Map([['a', 2]]) };
  assert.deepEqual(labels(pickWithinLimits(candidates, limits)), ['b1', 'c1', 'b2']);
  assert.deepEqual(saturatedKeys(limits), ['a']);
  assert.deepEqual(pickWithinLimits(candidates, { total: 0, perKey: 2, busy: new Map() }), []);
});
