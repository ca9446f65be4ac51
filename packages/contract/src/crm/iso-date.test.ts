import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { normalizeIsoDate } from './iso-date.ts';

test('ISO 8601 dates come back in the one form every runtime parses alike', () => {
  const cases: [string, string][] = [
    ['2026-02-27', '2026-02-27'],
    ['2026-02-27T09:14:00Z', '2026-02-27T09:14:00Z'],
    ['2026-02-27t09:14:00.123z', '2026-02-27T09:14:00.123Z'],
    ['2026-02-27 09:14:00', '2026-02-27T09:14:00'],
    ['2026-02-27T09:14', '2026-02-27T09:14'],
    ['2026-02-27T09:14:00+0100', '2026-02-27T09:14:00+01:00'],
    ['2026-02-27T09:14:00-05:30', '2026-02-27T09:14:00-05:30'],
    ['2024-02-29', '2024-02-29'],
  ];
  for (const [sent, expected] of cases) assert.equal(normalizeIsoDate(sent), expected, sent);
});

test('anything else, including impossible calendar dates that Date.parse would roll over, is refused', () => {
  for (const sent of [
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-02-27T24:00:00Z',
    '2026-02-27T09:60',
    '2026-02-27T09:14:00+25:00',
    '27/02/2026',
    'March 7, 2026',
    '1772183640',
    '2026-02-27T09:14:00Z trailing',
  ]) {
    assert.equal(normalizeIsoDate(sent), null, sent);
  }
});
