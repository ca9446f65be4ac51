import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayFirstIn, parsePrePlainText } from './pre-plain-text.ts';

// Local times: the test process runs with TZ unset or set; comparing local fields keeps it independent.
const local = (label: string, dayFirst: boolean) => {
  const parsed = parsePrePlainText(label, dayFirst);
  if (parsed === null) return null;
  const d = parsed.sentAt;
  return {
    y: d.getFullYear(),
    mo: d.getMonth() + 1,
    d: d.getDate(),
    h: d.getHours(),
    mi: d.getMinutes(),
    author: parsed.author,
  };
};

test('24-hour labels, day first', () => {
  assert.deepEqual(local('[10:21, 2/3/2026] Lucía Fernández: ', true), {
    y: 2026,
    mo: 3,
    d: 2,
    h: 10,
    mi: 21,
    author: 'Lucía Fernández',
  });
  assert.deepEqual(local('[10:21, 2.3.2026] Lucía: ', true), {
    y: 2026,
    mo: 3,
    d: 2,
    h: 10,
    mi: 21,
    author: 'Lucía',
  });
  assert.deepEqual(local('[10:21, 02/03/26] Lucía: ', true), {
    y: 2026,
    mo: 3,
    d: 2,
    h: 10,
    mi: 21,
    author: 'Lucía',
  });
});

test('American English: month first, 12-hour clock', () => {
  assert.deepEqual(local('[9:05 PM, 3/2/2026] Emily: ', false), {
    y: 2026,
    mo: 3,
    d: 2,
    h: 21,
    mi: 5,
    author: 'Emily',
  });
  assert.deepEqual(local('[12:10 AM, 3/2/2026] Emily: ', false), {
    y: 2026,
    mo: 3,
    d: 2,
    h: 0,
    mi: 10,
    author: 'Emily',
  });
});

test('Spanish 12-hour clock, ISO dates, and an impossible month settling the order', () => {
  assert.deepEqual(local('[10:21 p. m., 2/3/2026] Ana: ', true), {
    y: 2026,
    mo: 3,
    d: 2,
    h: 22,
    mi: 21,
    author: 'Ana',
  });
  assert.deepEqual(local('[10:21, 2026-03-02] Ana: ', false), {
    y: 2026,
    mo: 3,
    d: 2,
    h: 10,
    mi: 21,
    author: 'Ana',
  });
  assert.deepEqual(local('[10:21, 25/3/2026] Ana: ', false), {
    y: 2026,
    mo: 3,
    d: 25,
    h: 10,
    mi: 21,
    author: 'Ana',
  });
});

test('what is not a label is refused', () => {
  for (const label of [
    '',
    'Lucía: hola',
    '[25:00, 2/3/2026] A: ',
    '[10:21, 31/2/2026] A: ',
    '[13:00 PM, 3/2/2026] A: ',
  ]) {
    assert.equal(parsePrePlainText(label, true), null, label);
  }
});

test('which locales write the day first', () => {
  assert.equal(dayFirstIn('es-ES'), true);
  assert.equal(dayFirstIn('en-GB'), true);
  assert.equal(dayFirstIn('en-US'), false);
});
