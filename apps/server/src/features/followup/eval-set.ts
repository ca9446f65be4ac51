/**
 * The hand-written Smart Follow-up evaluation set (apps/server/eval/smart-followup/README.md): one
 * conversation per JSONL line with the labels a person gave it. It is read strictly, and every
 * problem names its line, because a mistyped label would not fail anything else: it would quietly
 * move the scores.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  defaultSmartFollowupSettings,
  followupIntentLevels,
  followupOutcomes,
  intentRank,
  type FollowupOutcome,
} from '@parley/contract';
import { serverRoot } from '../../lib/server-root.ts';

export const evalSetPath = join(serverRoot, 'eval/smart-followup/conversations.jsonl');

export const evalLanguages = ['es', 'en', 'pt'] as const;
export type EvalLanguage = (typeof evalLanguages)[number];

export const evalCategories = [
  'abandoned',
  'support_only',
  'already_bought',
  'price_objection',
  'shipping_objection',
  'opt_out',
  'angry',
  'prompt_injection',
  'order_numbers',
  'unclear',
] as const;
export type EvalCategory = (typeof evalCategories)[number];

/** The labels are written for the default threshold, the one most shops keep. */
const LABELLED_MIN_INTENT = defaultSmartFollowupSettings.min_intent_level;

const intentLevel = z.enum(followupIntentLevels);

/**
 * One level, or two adjacent ones when a person could honestly argue either; always read as the
 * list of acceptable levels, lowest first.
 */
const intentBand = z.union([
  intentLevel.transform((level) => [level]),
  z
    .tuple([intentLevel, intentLevel])
    .refine(
      ([low, high]) => intentRank(high) - intentRank(low) === 1,
      'a two-level intent_band lists two adjacent levels, lowest first, e.g. ["low","medium"]',
    ),
]);

export const evalExpected = z.strictObject({
  intent_band: intentBand,
  outcome: z.enum(followupOutcomes),
  opt_out: z.boolean(),
  negative_sentiment: z.boolean(),
  should_follow_up: z.boolean(),
});
export type EvalExpected = z.output<typeof evalExpected>;

const evalMessage = z.strictObject({
  id: z.string().regex(/^m[1-9]\d*$/, 'message ids are m1, m2, …'),
  direction: z.enum(['in', 'out']),
  text: z.string().trim().min(1, 'a message has text'),
  sent_at: z.iso.datetime(),
});

/** Labels that define a category: a case filed under it without them is mislabelled. */
const categoryRules: Partial<
  Record<EvalCategory, { holds: (expected: EvalExpected) => boolean; rule: string }>
> = {
  abandoned: { holds: (e) => e.outcome === 'abandoned', rule: 'outcome "abandoned"' },
  support_only: { holds: (e) => e.outcome === 'support_only', rule: 'outcome "support_only"' },
  already_bought: { holds: (e) => e.outcome === 'converted', rule: 'outcome "converted"' },
  unclear: { holds: (e) => e.outcome === 'unclear', rule: 'outcome "unclear"' },
  opt_out: { holds: (e) => e.opt_out, rule: 'opt_out true' },
  angry: { holds: (e) => e.negative_sentiment, rule: 'negative_sentiment true' },
};

const followUpOutcomes: readonly FollowupOutcome[] = ['abandoned', 'unclear'];

export const evalCase = z
  .strictObject({
    id: z.string().regex(/^(es|en|pt)-\d{3}$/, 'ids are <language>-<three digits>, e.g. es-017'),
    language: z.enum(evalLanguages),
    shop: z.string().trim().min(1),
    messages: z.array(evalMessage).min(1),
    expected: evalExpected,
    category: z.enum(evalCategories),
    notes: z.string().trim().min(1, 'notes say why the case is labelled so'),
  })
  .superRefine((item, ctx) => {
    const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (!item.id.startsWith(`${item.language}-`))
      problem(['id'], `an ${item.language} case has an id ${item.language}-…`);
    item.messages.forEach((message, index) => {
      if (message.id !== `m${index + 1}`)
        problem(['messages', index, 'id'], `message ${index + 1} has id m${index + 1}`);
      const previous = item.messages[index - 1];
      if (previous !== undefined && Date.parse(message.sent_at) < Date.parse(previous.sent_at)) {
        problem(['messages', index, 'sent_at'], 'messages are in the order they were sent');
      }
    });
    if (!item.messages.some((message) => message.direction === 'in')) {
      problem(['messages'], 'the customer writes at least one message');
    }

    // A perfect analysis must lead to the labelled decision; otherwise a miss would blame the model
    // for the labeller's inconsistency. A band that straddles the threshold may go either way.
    const { expected } = item;
    const levels = expected.intent_band.map(intentRank);
    const allowed =
      followUpOutcomes.includes(expected.outcome) && !expected.opt_out && !expected.negative_sentiment;
    const threshold = intentRank(LABELLED_MIN_INTENT);
    if (expected.should_follow_up && !(allowed && Math.max(...levels) >= threshold)) {
      problem(
        ['expected', 'should_follow_up'],
        `true needs outcome abandoned or unclear, no opt-out, no negative sentiment and an intent_band reaching ${LABELLED_MIN_INTENT}`,
      );
    }
    if (!expected.should_follow_up && allowed && Math.min(...levels) >= threshold) {
      problem(
        ['expected', 'should_follow_up'],
        'false, yet every other label allows a follow-up: lower the intent_band or say what rules it out',
      );
    }
    const rule = categoryRules[item.category];
    if (rule !== undefined && !rule.holds(expected)) {
      problem(['category'], `${item.category} cases have ${rule.rule}`);
    }
  });
export type EvalCase = z.output<typeof evalCase>;

/** Every case that parsed, and one line per problem, e.g. `line 17 (es-017) expected.outcome: …`. */
export function parseEvalSet(jsonl: string): { cases: EvalCase[]; problems: string[] } {
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  const lineOfId = new Map<string, number>();
  jsonl.split('\n').forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push(`line ${line}: not JSON (${(error as Error).message})`);
      return;
    }
    const rawId = (json as { id?: unknown } | null)?.id;
    const where = typeof rawId === 'string' ? `line ${line} (${rawId})` : `line ${line}`;
    const parsed = evalCase.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`${where} ${issue.path.join('.') || '(line)'}: ${issue.message}`);
      }
      return;
    }
    const firstLine = lineOfId.get(parsed.data.id);
    if (firstLine !== undefined) {
      problems.push(`${where} id: already used on line ${firstLine}`);
      return;
    }
    lineOfId.set(parsed.data.id, line);
    cases.push(parsed.data);
  });
  return { cases, problems };
}

export const readEvalSet = (path: URL | string = evalSetPath) => parseEvalSet(readFileSync(path, 'utf8'));
