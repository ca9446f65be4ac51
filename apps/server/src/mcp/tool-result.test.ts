import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { capText } from './tool-result.ts';

test('a text at the limit is kept whole; one over is cut to the limit with a notice', () => {
  assert.equal(capText('a'.repeat(100), 100), 'a'.repeat(100));
  const cut = capText('a'.repeat(1_000), 400);
  assert.ok(cut.length <= 400 && cut.length > 380, String(cut.length));
  assert.match(
    cut,
    /^a+\n\n\[Truncated: this text has 1000 characters and only the first \d+ are shown\. Narrow the request/,
  );
  const kept = Number(/first (\d+) are shown/.exec(cut)?.[1]);
  assert.equal(cut.indexOf('\n\n['), kept);
});

test('a surrogate pair is never split', () => {
  const emoji = '😀';
  for (let shift = 0; shift < 2; shift++) {
    const cut = capText('a'.repeat(shift) + emoji.repeat(500), 400);
    const body = cut.slice(0, cut.indexOf('\n\n['));
    assert.equal(body, Buffer.from(body, 'utf8').toString('utf8'), 'no lone surrogate');
    assert.doesNotMatch(body, /[\ud800-\udbff]$/);
  }
});
