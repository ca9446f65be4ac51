import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FollowupAnalysis } from '@parley/contract';
import { expectedFollowUp, ratio, scoreEvaluation, wouldFollowUp, type EvalPair } from './eval-score.ts';
import { evalExpected, type EvalCategory } from './eval-set.ts';

const analysis = (overrides: Partial<FollowupAnalysis> = {}): FollowupAnalysis => ({
  intent_level: 'medium',
  outcome: 'abandoned',
  product_mentioned: null,
  customer_objection: null,
  sentiment: 'neutral',
  opt_out_requested: false,
  evidence_message_ids: [],
  suggested_message: 'Hi! Still thinking about it?',
  reason: '',
  ...overrides,
});

const expected = (labels: Partial<Record<string, unknown>>) =>
  evalExpected.parse({
    intent_band: 'medium',
    outcome: 'abandoned',
    opt_out: false,
    negative_sentiment: false,
    should_follow_up: false,
    ...labels,
  });

const pair = (
  id: string,
  category: EvalCategory,
  labels: Partial<Record<string, unknown>>,
  prediction: EvalPair['prediction'],
  tokens: number,
): EvalPair => ({ id, category, expected: expected(labels), prediction, tokens });

/** Eight cases whose every count is worked out by hand below. */
const pairs: EvalPair[] = [
  pair(
    'p1',
    'abandoned',
    { intent_band: 'high', should_follow_up: true },
    analysis({ intent_level: 'high' }),
    100,
  ),
  pair('p2', 'support_only', { intent_band: 'none', outcome: 'support_only' }, analysis(), 200),
  pair(
    'p3',
    'opt_out',
    { intent_band: ['medium', 'high'], opt_out: true },
    analysis({ intent_level: 'high', opt_out_requested: true }),
    300,
  ),
  pair(
    'p4',
    'price_objection',
    { should_follow_up: true },
    analysis({ intent_level: 'low', opt_out_requested: true }),
    400,
  ),
  pair('p5', 'angry', { intent_band: 'low', negative_sentiment: true }, { invalid: true }, 50),
  pair(
    'p6',
    'unclear',
    { intent_band: ['low', 'medium'], outcome: 'unclear', should_follow_up: true },
    analysis({ outcome: 'unclear', sentiment: 'positive' }),
    60,
  ),
  pair('p7', 'already_bought', { intent_band: 'high', outcome: 'converted' }, { error: 'timeout' }, 0),
  pair('p8', 'abandoned', { should_follow_up: true }, analysis({ sentiment: 'negative' }), 8),
];

test('a ratio with nothing to count is null, not NaN', () => {
  assert.deepEqual(ratio(0, 0), { hits: 0, of: 0, value: null });
  assert.deepEqual(ratio(2, 3), { hits: 2, of: 3, value: 2 / 3 });
});

test('Parley follows up only on a valid analysis with enough intent, an open outcome, no anger and no opt-out', () => {
  assert.equal(wouldFollowUp(analysis(), 'medium'), true);
  assert.equal(wouldFollowUp(analysis({ outcome: 'unclear' }), 'medium'), true);
  assert.equal(wouldFollowUp(analysis({ intent_level: 'low' }), 'medium'), false);
  assert.equal(wouldFollowUp(analysis({ intent_level: 'low' }), 'low'), true);
  assert.equal(wouldFollowUp(analysis({ intent_level: 'none' }), 'low'), false);
  assert.equal(wouldFollowUp(analysis(), 'high'), false);
  assert.equal(wouldFollowUp(analysis({ outcome: 'converted' }), 'medium'), false);
  assert.equal(wouldFollowUp(analysis({ outcome: 'support_only' }), 'medium'), false);
  assert.equal(wouldFollowUp(analysis({ sentiment: 'negative' }), 'medium'), false);
  assert.equal(wouldFollowUp(analysis({ opt_out_requested: true }), 'medium'), false);
  // Intent without a draft is an unusable answer to Parley, so it is no follow-up here either.
  assert.equal(wouldFollowUp(analysis({ suggested_message: ' ' }), 'medium'), false);
  assert.equal(wouldFollowUp({ invalid: true }, 'low'), false);
  assert.equal(wouldFollowUp({ error: 'down' }, 'low'), false);
});

test('the label holds at the default threshold; a stricter one drops bands that never reach it', () => {
  const borderline = expected({ intent_band: ['low', 'medium'], should_follow_up: true });
  assert.equal(expectedFollowUp(borderline, 'low'), true);
  assert.equal(expectedFollowUp(borderline, 'medium'), true);
  assert.equal(expectedFollowUp(borderline, 'high'), false);
  assert.equal(
    expectedFollowUp(expected({ intent_band: ['medium', 'high'], should_follow_up: true }), 'high'),
    true,
  );
  assert.equal(expectedFollowUp(expected({ intent_band: 'low' }), 'low'), false);
});

test('should-follow-up precision and recall, with the errors filed under their categories', () => {
  const score = scoreEvaluation(pairs);
  assert.equal(score.cases, 8);
  assert.equal(score.min_intent_level, 'medium');
  // Followed up: p1, p2, p6; right: p1, p6. Labelled: p1, p4, p6, p8.
  assert.deepEqual(score.should_follow_up, { precision: ratio(2, 3), recall: ratio(2, 4) });
  assert.deepEqual(score.follow_up_errors_by_category, [
    { category: 'abandoned', cases: 2, false_positives: [], false_negatives: ['p8'] },
    { category: 'support_only', cases: 1, false_positives: ['p2'], false_negatives: [] },
    { category: 'already_bought', cases: 1, false_positives: [], false_negatives: [] },
    { category: 'price_objection', cases: 1, false_positives: [], false_negatives: ['p4'] },
    { category: 'opt_out', cases: 1, false_positives: [], false_negatives: [] },
    { category: 'angry', cases: 1, false_positives: [], false_negatives: [] },
    { category: 'unclear', cases: 1, false_positives: [], false_negatives: [] },
  ]);
});

test('opt-out and negative sentiment count an unusable answer as a miss', () => {
  const score = scoreEvaluation(pairs);
  assert.deepEqual(score.opt_out, { precision: ratio(1, 2), recall: ratio(1, 1) });
  // The one angry case got an invalid answer; p8's negative is not labelled.
  assert.deepEqual(score.negative_sentiment, { precision: ratio(0, 1), recall: ratio(0, 1) });
});

test('outcome per class, a class nobody predicted having no precision', () => {
  const { outcome } = scoreEvaluation(pairs);
  assert.deepEqual(outcome.accuracy, ratio(5, 8));
  assert.deepEqual(outcome.classes, {
    abandoned: { precision: ratio(4, 5), recall: ratio(4, 5) },
    unclear: { precision: ratio(1, 1), recall: ratio(1, 1) },
    converted: { precision: ratio(0, 0), recall: ratio(0, 1) },
    support_only: { precision: ratio(0, 0), recall: ratio(0, 1) },
  });
});

test('intent counts a level inside the labelled band as right', () => {
  const { intent } = scoreEvaluation(pairs);
  assert.deepEqual(intent.accuracy, ratio(4, 8));
  assert.deepEqual(intent.levels, {
    none: { precision: ratio(0, 0), recall: ratio(0, 1) },
    // p4 said low for a medium case; p6 ([low, medium]) said medium, which recalls its low too.
    low: { precision: ratio(0, 1), recall: ratio(1, 2) },
    medium: { precision: ratio(2, 3), recall: ratio(3, 4) },
    high: { precision: ratio(2, 2), recall: ratio(2, 3) },
  });
});

test('validity leaves out calls that got no answer; every call spends its tokens', () => {
  const score = scoreEvaluation(pairs);
  assert.deepEqual(score.validity, ratio(6, 7));
  assert.equal(score.errors, 1);
  assert.equal(score.tokens, 1_118);
});

test('a stricter threshold changes both the decisions and the labels', () => {
  const score = scoreEvaluation(pairs, 'high');
  assert.deepEqual(score.should_follow_up, { precision: ratio(1, 1), recall: ratio(1, 1) });
  assert.deepEqual(
    score.follow_up_errors_by_category.flatMap((row) => [...row.false_positives, ...row.false_negatives]),
    [],
  );
});

test('nothing to score gives nulls and zeros, never NaN', () => {
  const score = scoreEvaluation([]);
  const numbers: number[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'number') numbers.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(score);
  assert.ok(numbers.every((value) => !Number.isNaN(value)));
  assert.equal(score.should_follow_up.precision.value, null);
  assert.equal(score.validity.value, null);
  assert.equal(score.intent.accuracy.value, null);
  assert.equal(score.tokens, 0);
  assert.deepEqual(score.follow_up_errors_by_category, []);
});

test('an answer that is all errors has no validity to report', () => {
  const score = scoreEvaluation([pair('e1', 'abandoned', { should_follow_up: true }, { error: 'down' }, 0)]);
  assert.deepEqual(score.validity, ratio(0, 0));
  assert.deepEqual(score.should_follow_up, { precision: ratio(0, 0), recall: ratio(0, 1) });
});
