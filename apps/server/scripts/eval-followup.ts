// Runs the hand-written Smart Follow-up set (apps/server/eval/smart-followup) against a real model
// and prints how Parley's follow-up decisions would have gone: `npm run eval:followup -- --limit 10`.
// It spends the model's tokens, so it is not part of `npm test`. Progress goes to stderr, the
// summary to stdout, so `--json > result.json` keeps the file machine-readable.
import { parseArgs } from 'node:util';
import {
  defaultSmartFollowupSettings,
  followupIntentLevels,
  followupMinIntentLevels,
  followupOutcomes,
  type FollowupMinIntentLevel,
} from '@parley/contract';
import { analyseConversation } from '../src/features/followup/analysis.ts';
import {
  expectedFollowUp,
  scoreEvaluation,
  wouldFollowUp,
  type EvalPair,
  type EvalScore,
  type PrecisionRecall,
  type Ratio,
} from '../src/features/followup/eval-score.ts';
import {
  evalCategories,
  readEvalSet,
  type EvalCase,
  type EvalCategory,
  type EvalLanguage,
} from '../src/features/followup/eval-set.ts';
import { createLlmProvider, type LlmProvider, type LlmTarget } from '../src/lib/llm/index.ts';
import { createOutboundHttp } from '../src/lib/outbound/index.ts';

const USAGE =
  'usage: eval-followup [--limit N] [--only <category>] [--concurrency N] [--min-intent low|medium|high] [--json]';

/** A bad invocation: one line on stderr and exit 2, like the missing variables. */
function refuse(message: string): never {
  process.stderr.write(`eval-followup: ${message}\n`);
  process.exit(2);
}

function positiveWhole(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    refuse(`--${name} must be a whole number of at least 1; got "${text}"`);
  }
  return value;
}

const includes = <T extends string>(values: readonly T[], value: string): value is T =>
  (values as readonly string[]).includes(value);

function readOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        limit: { type: 'string' },
        only: { type: 'string' },
        concurrency: { type: 'string', default: '2' },
        'min-intent': { type: 'string', default: defaultSmartFollowupSettings.min_intent_level },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    refuse(`${(error as Error).message}\n${USAGE}`);
  }
  const only = parsed.only;
  if (only !== undefined && !includes(evalCategories, only)) {
    refuse(`--only must be one of ${evalCategories.join(', ')}; got "${only}"`);
  }
  const minIntent = parsed['min-intent'];
  if (!includes(followupMinIntentLevels, minIntent)) {
    refuse(`--min-intent must be one of ${followupMinIntentLevels.join(', ')}; got "${minIntent}"`);
  }
  return {
    limit: parsed.limit === undefined ? undefined : positiveWhole('limit', parsed.limit),
    only: only as EvalCategory | undefined,
    concurrency: positiveWhole('concurrency', parsed.concurrency),
    minIntent: minIntent as FollowupMinIntentLevel,
    json: parsed.json,
  };
}

/** The operator's model, read as the server reads it (src/config.ts); an API key is optional there too. */
function readTarget(): LlmTarget {
  const read = (name: string) => {
    const value = process.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const baseUrl = read('PARLEY_LLM_BASE_URL');
  const model = read('PARLEY_LLM_MODEL');
  if (baseUrl === undefined || model === undefined) {
    const missing = Object.entries({ PARLEY_LLM_BASE_URL: baseUrl, PARLEY_LLM_MODEL: model })
      .filter(([, value]) => value === undefined)
      .map(([name]) => name);
    refuse(
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set: point PARLEY_LLM_BASE_URL, PARLEY_LLM_MODEL (and PARLEY_LLM_API_KEY if the API needs one) at the OpenAI-compatible model to evaluate`,
    );
  }
  return { origin: 'server', baseUrl, model, apiKey: read('PARLEY_LLM_API_KEY') };
}

/** A shop's locale only decides the draft's language when the customer's is unclear. */
const localeOf: Record<EvalLanguage, string> = { es: 'es-ES', en: 'en-GB', pt: 'pt-BR' };
/** Runs look back 24 hours by default, so an evaluated conversation went quiet within the day. */
const QUIET_FOR_MS = 12 * 60 * 60 * 1000;

async function analyse(llm: LlmProvider, target: LlmTarget, item: EvalCase) {
  const lastSentAt = Date.parse(item.messages.at(-1)?.sent_at ?? '');
  const result = await analyseConversation({
    llm,
    target,
    shop: { name: item.shop, locale: localeOf[item.language] },
    settings: defaultSmartFollowupSettings,
    messages: item.messages.map((message) => ({
      id: message.id,
      direction: message.direction,
      text: message.text,
      sentAt: new Date(message.sent_at),
    })),
    now: new Date(lastSentAt + QUIET_FOR_MS),
  });
  const prediction: EvalPair['prediction'] = result.ok
    ? result.analysis
    : result.reason === 'model_output_invalid'
      ? { invalid: true }
      : { error: result.message };
  const pair: EvalPair = {
    id: item.id,
    category: item.category,
    expected: item.expected,
    prediction,
    tokens: result.usage.total_tokens,
  };
  return { pair, detail: result.ok ? undefined : result.message };
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function progressLine(
  done: number,
  total: number,
  pair: EvalPair,
  detail: string | undefined,
  minIntent: FollowupMinIntentLevel,
) {
  const status = 'error' in pair.prediction ? 'error' : 'invalid' in pair.prediction ? 'invalid' : 'ok';
  const decided = wouldFollowUp(pair.prediction, minIntent);
  const labelled = expectedFollowUp(pair.expected, minIntent);
  const verdict = decided === labelled ? '' : `  follow-up ${yesNo(decided)}, label ${yesNo(labelled)}`;
  const why = detail === undefined ? '' : `: ${detail}`;
  return `[${done}/${total}] ${pair.id} ${pair.category} … ${status} ${pair.tokens} tokens${verdict}${why}`;
}

/** Calls the model for every case, `concurrency` at a time, reporting each as it finishes. */
async function runAll(
  cases: readonly EvalCase[],
  concurrency: number,
  minIntent: FollowupMinIntentLevel,
  target: LlmTarget,
) {
  // An operator's model (origin "server") never goes through the outbound client; the provider only
  // needs one for shop-given models, which this runner never calls, so it allows nothing extra.
  const outbound = createOutboundHttp({ allow: [] });
  const llm = createLlmProvider({ outbound });
  const pairs: EvalPair[] = new Array(cases.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const { pair, detail } = await analyse(llm, target, cases[index] as EvalCase);
      pairs[index] = pair;
      done++;
      process.stderr.write(`${progressLine(done, cases.length, pair, detail, minIntent)}\n`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
  } finally {
    await llm.close();
    await outbound.close();
  }
  return pairs;
}

const percent = (r: Ratio) =>
  r.value === null ? 'n/a' : `${(r.value * 100).toFixed(1)}% (${r.hits}/${r.of})`;
const pr = (scores: PrecisionRecall) =>
  `precision ${percent(scores.precision).padEnd(18)} recall ${percent(scores.recall)}`;

function table(score: EvalScore, model: string): string {
  const lines = [
    `Smart Follow-up eval: ${score.cases} conversations, model ${model}, min_intent_level ${score.min_intent_level}`,
    '',
    `Should follow up     ${pr(score.should_follow_up)}`,
    `Opt-out              ${pr(score.opt_out)}`,
    `Negative sentiment   ${pr(score.negative_sentiment)}`,
    `Schema validity      ${percent(score.validity)} of the answers; ${score.errors} calls got no answer`,
    `Credits              ${score.tokens} tokens` +
      (score.cases === 0 ? '' : ` (${Math.round(score.tokens / score.cases)} per conversation)`),
    '',
    `Outcome              accuracy ${percent(score.outcome.accuracy)}`,
    ...followupOutcomes.map((outcome) => `  ${outcome.padEnd(19)}${pr(score.outcome.classes[outcome])}`),
    '',
    `Intent (in band)     accuracy ${percent(score.intent.accuracy)}`,
    ...followupIntentLevels.map((level) => `  ${level.padEnd(19)}${pr(score.intent.levels[level])}`),
    '',
    'Should-follow-up errors by category',
    ...score.follow_up_errors_by_category.map((row) => {
      const ids = (label: string, list: string[]) =>
        list.length === 0 ? '' : `  ${label}: ${list.join(', ')}`;
      return (
        `  ${row.category.padEnd(19)}${String(row.cases).padStart(3)} ${row.cases === 1 ? 'case ' : 'cases'}` +
        ids('followed up wrongly', row.false_positives) +
        ids('missed', row.false_negatives)
      );
    }),
  ];
  return `${lines.join('\n')}\n`;
}

async function main() {
  const options = readOptions();
  const target = readTarget();
  const { cases: all, problems } = readEvalSet();
  if (problems.length > 0) {
    process.stderr.write(`eval-followup: the evaluation set has problems:\n${problems.join('\n')}\n`);
    process.exit(1);
  }
  const chosen = all.filter((item) => options.only === undefined || item.category === options.only);
  const cases = chosen.slice(0, options.limit ?? chosen.length);
  const pairs = await runAll(cases, options.concurrency, options.minIntent, target);
  const score = scoreEvaluation(pairs, options.minIntent);
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ model: target.model, score, results: pairs }, null, 2)}\n`
      : table(score, target.model),
  );
}

await main();
