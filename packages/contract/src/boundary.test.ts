import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { z } from 'zod';
import { inputHazards, MAX_INPUT_DEPTH, parseAtBoundary } from './boundary.ts';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

test('clean values, however large, have no hazards', () => {
  const messages = Array.from({ length: 500 }, (_, i) => ({
    id: `m${i}`,
    text: 'x'.repeat(200),
    n: i,
    ok: true,
  }));
  assert.deepEqual(inputHazards({ messages, none: null }), []);
  assert.deepEqual(inputHazards(nested(MAX_INPUT_DEPTH - 1)), []);
  assert.deepEqual(inputHazards('text with an escaped \\u0000 written out'), []);
});

test('NUL characters are found with the path of each, in values and keys', () => {
  const issues = inputHazards({ a: [{ b: 'x\u0000' }], 'k\u0000': 1, c: 'ok' });
  assert.deepEqual(
    issues.map((issue) => [issue.path.join('.'), issue.message]),
    [
      ['', 'has a field name with a NUL (\\u0000) character'],
      ['a.0.b', 'must not contain NUL (\\u0000) characters'],
    ],
  );
});

test('nesting past the limit is found without recursion, however deep', () => {
  const [issue, ...rest] = inputHazards({ deep: nested(100_000) });
  assert.equal(rest.length, 0);
  assert.equal(issue?.path.length, MAX_INPUT_DEPTH);
  assert.equal(issue?.path[0], 'deep');
  assert.match(issue?.message ?? '', /nested more than 64 levels deep/);
});

test('at most five findings, and the schema does not run on a hazardous value', () => {
  assert.equal(inputHazards(Array.from({ length: 50 }, () => '\u0000')).length, 5);
  let ran = false;
  const schema = z.unknown().transform((v) => {
    ran = true;
    return v;
  });
  const result = parseAtBoundary(schema, { name: 'a\u0000' });
  assert.equal(result.success, false);
  assert.equal(ran, false);
  assert.equal(parseAtBoundary(z.object({ name: z.string() }), { name: 'Ana' }).success, true);
});
