import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { evalCategories, evalLanguages, parseEvalSet, readEvalSet } from './eval-set.ts';

test('every line of the evaluation set is valid and labelled consistently', () => {
  const { cases, problems } = readEvalSet();
  assert.deepEqual(problems, []);
  assert.ok(cases.length >= 120, `${cases.length} cases`);
});

test('the set keeps enough cases of every category and language to score them', () => {
  const { cases } = readEvalSet();
  for (const category of evalCategories) {
    const count = cases.filter((item) => item.category === category).length;
    assert.ok(count >= 10, `${category}: ${count} cases`);
  }
  for (const language of evalLanguages) {
    const count = cases.filter((item) => item.language === language).length;
    assert.ok(count >= 25, `${language}: ${count} cases`);
  }
  for (const label of [true, false]) {
    assert.ok(cases.filter((item) => item.expected.should_follow_up === label).length >= 30);
  }
});

const valid = {
  id: 'en-001',
  language: 'en',
  shop: 'Peak Outdoor Gear',
  messages: [
    { id: 'm1', direction: 'in', text: 'Do you have the Atmos 65 in M/L?', sent_at: '2026-03-02T12:05:00Z' },
    { id: 'm2', direction: 'out', text: 'Yes, £230.', sent_at: '2026-03-02T12:17:00Z' },
  ],
  expected: {
    intent_band: 'high',
    outcome: 'abandoned',
    opt_out: false,
    negative_sentiment: false,
    should_follow_up: true,
  },
  category: 'abandoned',
  notes: 'Asked for a size, then went quiet.',
};

const line = (changes: Record<string, unknown>, expected: Record<string, unknown> = {}) =>
  JSON.stringify({ ...valid, ...changes, expected: { ...valid.expected, ...expected } });

test('a band is one level or two adjacent ones, read as the list of acceptable levels', () => {
  const { cases, problems } = parseEvalSet(
    [
      line({ id: 'en-001' }, { intent_band: ['medium', 'high'] }),
      line({ id: 'en-002' }, { intent_band: ['low', 'high'] }),
      line({ id: 'en-003' }, { intent_band: ['high', 'medium'] }),
    ].join('\n'),
  );
  assert.deepEqual(
    cases.map((item) => item.expected.intent_band),
    [['medium', 'high']],
  );
  assert.equal(problems.length, 2);
  for (const problem of problems) {
    assert.match(problem, /^line [23] \(en-00[23]\) expected\.intent_band: .*two adjacent levels/);
  }
});

test('each problem names its line and what is wrong, and the good lines still parse', () => {
  const text = [
    line({}),
    '',
    '{"id": "en-002", ',
    line({ id: 'en-003' }, { outcome: 'bought' }),
    line({}),
    line({ id: 'es-004' }),
    line({ id: 'en-005', messages: [{ ...valid.messages[1], id: 'm1' }] }),
    line({ id: 'en-006', messages: [valid.messages[1], valid.messages[0]] }),
  ].join('\n');
  const { cases, problems } = parseEvalSet(text);
  assert.deepEqual(
    cases.map((item) => item.id),
    ['en-001'],
  );
  assert.match(problems[0] ?? '', /^line 3: not JSON/);
  assert.match(problems[1] ?? '', /^line 4 \(en-003\) expected\.outcome: /);
  assert.equal(problems[2], 'line 5 (en-001) id: already used on line 1');
  assert.equal(problems[3], 'line 6 (es-004) id: an en case has an id en-…');
  assert.equal(problems[4], 'line 7 (en-005) messages: the customer writes at least one message');
  assert.deepEqual(problems.slice(5), [
    'line 8 (en-006) messages.0.id: message 1 has id m1',
    'line 8 (en-006) messages.1.id: message 2 has id m2',
    'line 8 (en-006) messages.1.sent_at: messages are in the order they were sent',
  ]);
});

test('labels that contradict Parley’s decision or the category are refused', () => {
  const { problems } = parseEvalSet(
    [
      line({ id: 'en-001' }, { opt_out: true }),
      line({ id: 'en-002' }, { should_follow_up: false }),
      line({ id: 'en-003' }, { intent_band: 'low' }),
      // A band straddling the threshold may go either way.
      line({ id: 'en-004' }, { intent_band: ['low', 'medium'], should_follow_up: false }),
      line({ id: 'en-005' }, { intent_band: ['low', 'medium'] }),
      line({ id: 'en-006', category: 'already_bought' }, { outcome: 'abandoned' }),
      line({ id: 'en-007', category: 'angry' }),
    ].join('\n'),
  );
  assert.deepEqual(
    problems.map((problem) => problem.split(':')[0]),
    [
      'line 1 (en-001) expected.should_follow_up',
      'line 2 (en-002) expected.should_follow_up',
      'line 3 (en-003) expected.should_follow_up',
      'line 6 (en-006) category',
      'line 7 (en-007) category',
    ],
  );
  assert.match(problems[1] ?? '', /false, yet every other label allows a follow-up/);
  assert.match(problems[3] ?? '', /already_bought cases have outcome "converted"/);
});
