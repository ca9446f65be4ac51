/**
 * Scores a model's analyses of the evaluation set (eval-set.ts) against the labels. Pure: the
 * runner (scripts/eval-followup.ts) makes the calls and prints what this returns.
 *
 * The headline is the precision of "should follow up": a follow-up the customer did not want costs
 * the shop more than one it did not send. Every ratio keeps its counts, and one with nothing to
 * count is null, never NaN, so an empty class reads as "no data" rather than as 0 %.
 */
import {
  defaultSmartFollowupSettings,
  followupIntentLevels,
  followupOutcomes,
  intentRank,
  type FollowupAnalysis,
  type FollowupIntentLevel,
  type FollowupMinIntentLevel,
  type FollowupOutcome,
} from '@parley/contract';
import { skipAfterAnalysis } from './decision.ts';
import { evalCategories, type EvalCategory, type EvalExpected } from './eval-set.ts';

/** What one call gave: an analysis, an answer that failed the schema, or no answer at all. */
export type EvalPrediction = FollowupAnalysis | { invalid: true } | { error: string };

export interface EvalPair {
  id: string;
  category: EvalCategory;
  expected: EvalExpected;
  prediction: EvalPrediction;
  /** Credits the call spent (its total_tokens), also when its answer was unusable. */
  tokens: number;
}

export interface Ratio {
  hits: number;
  of: number;
  /** hits / of, or null when there was nothing to count. */
  value: number | null;
}

export interface PrecisionRecall {
  precision: Ratio;
  recall: Ratio;
}

export interface CategoryErrors {
  category: EvalCategory;
  cases: number;
  /** Ids of conversations Parley would have followed up against the label. */
  false_positives: string[];
  /** Ids of conversations the label wants followed up that Parley would have skipped. */
  false_negatives: string[];
}

export interface EvalScore {
  cases: number;
  min_intent_level: FollowupMinIntentLevel;
  should_follow_up: PrecisionRecall;
  opt_out: PrecisionRecall;
  negative_sentiment: PrecisionRecall;
  outcome: { accuracy: Ratio; classes: Record<FollowupOutcome, PrecisionRecall> };
  /** A predicted level inside the labelled band counts as right. */
  intent: { accuracy: Ratio; levels: Record<FollowupIntentLevel, PrecisionRecall> };
  /** Answers that passed the schema, out of the calls that got an answer. */
  validity: Ratio;
  /** Calls that got no answer (model unavailable, timeout). */
  errors: number;
  tokens: number;
  /** Only the categories present, in the set's category order. */
  follow_up_errors_by_category: CategoryErrors[];
}

export const ratio = (hits: number, of: number): Ratio => ({ hits, of, value: of === 0 ? null : hits / of });

const isAnalysis = (prediction: EvalPrediction): prediction is FollowupAnalysis =>
  !('invalid' in prediction) && !('error' in prediction);

/** Parley's own decision on an analysis (decision.ts); an unusable answer never follows up. */
export const wouldFollowUp = (prediction: EvalPrediction, minIntent: FollowupMinIntentLevel): boolean =>
  isAnalysis(prediction) && skipAfterAnalysis({ min_intent_level: minIntent }, prediction) === null;

/**
 * The label is written for the default threshold (medium, as eval-set.ts checks). A stricter threshold drops the cases
 * whose band never reaches it; a looser one adds none, so the extra follow-ups a low threshold
 * brings show up as lost precision, which is what a shop lowering it should see.
 */
export function expectedFollowUp(expected: EvalExpected, minIntent: FollowupMinIntentLevel): boolean {
  const top = expected.intent_band[expected.intent_band.length - 1] as FollowupIntentLevel;
  return expected.should_follow_up && intentRank(top) >= intentRank(minIntent);
}

/** Precision and recall of a yes/no question; an unusable answer is a "no". */
function yesNo(
  pairs: readonly EvalPair[],
  labelSaysYes: (pair: EvalPair) => boolean,
  predictionSaysYes: (pair: EvalPair) => boolean,
): PrecisionRecall {
  let truePositives = 0;
  let predictedYes = 0;
  let labelledYes = 0;
  for (const pair of pairs) {
    const label = labelSaysYes(pair);
    const predicted = predictionSaysYes(pair);
    if (predicted) predictedYes++;
    if (label) labelledYes++;
    if (label && predicted) truePositives++;
  }
  return { precision: ratio(truePositives, predictedYes), recall: ratio(truePositives, labelledYes) };
}

/** What the analysis says about a pair, or undefined when the call gave none. */
const analysisOf = (pair: EvalPair) => (isAnalysis(pair.prediction) ? pair.prediction : undefined);

const inBand = (pair: EvalPair, level: FollowupIntentLevel | undefined) =>
  level !== undefined && pair.expected.intent_band.includes(level);

function intentLevels(pairs: readonly EvalPair[]) {
  const predictedLevel = (pair: EvalPair) => analysisOf(pair)?.intent_level;
  const entries = followupIntentLevels.map((level) => {
    const predictedHere = pairs.filter((pair) => predictedLevel(pair) === level);
    // Recall of a level: of the cases whose band holds it, how many got a level inside their band.
    const labelledHere = pairs.filter((pair) => inBand(pair, level));
    const scores: PrecisionRecall = {
      precision: ratio(predictedHere.filter((pair) => inBand(pair, level)).length, predictedHere.length),
      recall: ratio(
        labelledHere.filter((pair) => inBand(pair, predictedLevel(pair))).length,
        labelledHere.length,
      ),
    };
    return [level, scores] as const;
  });
  return Object.fromEntries(entries) as Record<FollowupIntentLevel, PrecisionRecall>;
}

function followUpErrorsByCategory(
  pairs: readonly EvalPair[],
  decided: (pair: EvalPair) => boolean,
  labelled: (pair: EvalPair) => boolean,
): CategoryErrors[] {
  return evalCategories.flatMap((category) => {
    const inCategory = pairs.filter((pair) => pair.category === category);
    if (inCategory.length === 0) return [];
    return [
      {
        category,
        cases: inCategory.length,
        false_positives: inCategory.filter((pair) => decided(pair) && !labelled(pair)).map((pair) => pair.id),
        false_negatives: inCategory.filter((pair) => !decided(pair) && labelled(pair)).map((pair) => pair.id),
      },
    ];
  });
}

export function scoreEvaluation(
  pairs: readonly EvalPair[],
  minIntent: FollowupMinIntentLevel = defaultSmartFollowupSettings.min_intent_level,
): EvalScore {
  const decided = (pair: EvalPair) => wouldFollowUp(pair.prediction, minIntent);
  const labelled = (pair: EvalPair) => expectedFollowUp(pair.expected, minIntent);
  const valid = pairs.filter((pair) => isAnalysis(pair.prediction)).length;
  const errors = pairs.filter((pair) => 'error' in pair.prediction).length;

  const outcomeClasses = Object.fromEntries(
    followupOutcomes.map((outcome) => [
      outcome,
      yesNo(
        pairs,
        (pair) => pair.expected.outcome === outcome,
        (pair) => analysisOf(pair)?.outcome === outcome,
      ),
    ]),
  ) as Record<FollowupOutcome, PrecisionRecall>;

  return {
    cases: pairs.length,
    min_intent_level: minIntent,
    should_follow_up: yesNo(pairs, labelled, decided),
    opt_out: yesNo(
      pairs,
      (pair) => pair.expected.opt_out,
      (pair) => analysisOf(pair)?.opt_out_requested === true,
    ),
    negative_sentiment: yesNo(
      pairs,
      (pair) => pair.expected.negative_sentiment,
      (pair) => analysisOf(pair)?.sentiment === 'negative',
    ),
    outcome: {
      accuracy: ratio(
        pairs.filter((pair) => analysisOf(pair)?.outcome === pair.expected.outcome).length,
        pairs.length,
      ),
      classes: outcomeClasses,
    },
    intent: {
      accuracy: ratio(
        pairs.filter((pair) => inBand(pair, analysisOf(pair)?.intent_level)).length,
        pairs.length,
      ),
      levels: intentLevels(pairs),
    },
    validity: ratio(valid, pairs.length - errors),
    errors,
    tokens: pairs.reduce((sum, pair) => sum + pair.tokens, 0),
    follow_up_errors_by_category: followUpErrorsByCategory(pairs, decided, labelled),
  };
}
