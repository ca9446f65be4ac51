import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareInConstantTime } from './compare.ts';

describe('compareInConstantTime', () => {
  it('is true for equal bytes and false for bytes that differ', () => {
    assert.equal(compareInConstantTime(Buffer.from('abcd'), Buffer.from('abcd')), true);
    assert.equal(compareInConstantTime(Buffer.from('abcd'), Buffer.from('abce')), false);
  });

  it('answers false on a length mismatch where timingSafeEqual alone would throw', () => {
    assert.equal(compareInConstantTime(Buffer.from('abc'), Buffer.from('abcd')), false);
    assert.equal(compareInConstantTime(Buffer.alloc(0), Buffer.from('a')), false);
  });
});
