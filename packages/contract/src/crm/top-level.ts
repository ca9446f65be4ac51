import type { z } from 'zod';
import type { CrmAnswerIssue, CrmAnswerResult } from './answer-result.ts';
import { describeValue } from './describe-value.ts';
import { flag } from './fields.ts';
import { formatJsonPath } from './json-path.ts';
import { parseLeniently } from './lenient-parse.ts';

/** Where an answer keeps its data, and how to name it in messages. */
export interface AnswerLayout {
  /** Top-level keys holding the data, e.g. `customers` and `customer`. */
  dataKeys: readonly string[];
  /** The answer to show in messages as the shape to send, e.g. `{"found": true, "products": […]}`. */
  example: string;
}

type AnswerSchema = z.ZodType<{ found?: boolean | null | undefined; [key: string]: unknown }>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a value ignored under `found: false` was meant as data (an empty list or `{}` was not). */
const carriesData = (value: unknown) =>
  value === true ||
  (Array.isArray(value) ? value.length > 0 : isRecord(value) && Object.keys(value).length > 0);

const quoted = (keys: readonly string[]) => keys.map((key) => `"${key}"`).join(' or ');

/** Turns the checked answer into the panel model; `warn` adds a warning about the answer. */
export type Assemble<A, V> = (answer: A, warn: (warning: CrmAnswerIssue) => void) => V;

/**
 * A CRM answer from JSON to the panel model. The top level is strict, because only a top level that
 * cannot be used is an error (docs/crm-endpoints.md#the-top-level): it must be an object; `found: false`
 * means nothing matched whatever else is sent; otherwise (`found` true or missing) a data key must be there,
 * of the right kind, with at least one usable entry if it has any. Everything below the top level is lenient.
 */
export function parseAnswer<S extends AnswerSchema, V>(
  schema: S,
  layout: AnswerLayout,
  json: unknown,
  assemble: Assemble<z.output<S>, V>,
): CrmAnswerResult<V> {
  const { dataKeys, example } = layout;
  if (!isRecord(json)) {
    const message = `expected the answer to be a JSON object such as ${example} or {"found": false}, got ${describeValue(json)}`;
    return { ok: false, errors: [{ path: '$', message }], warnings: [] };
  }

  const warnings: CrmAnswerIssue[] = [];
  let input = json;
  if (flag.safeParse(json.found).data === false) {
    // The CRM said nothing matched: whatever it sent with that (often `customer: []` from PHP) is not data.
    for (const key of dataKeys.filter((key) => carriesData(json[key]))) {
      warnings.push({
        path: formatJsonPath([key]),
        message: 'ignored because "found" is false; send "found": true when there is a match',
      });
    }
    input = Object.fromEntries(Object.entries(json).filter(([key]) => !dataKeys.includes(key)));
  }

  const parsed = parseLeniently(
    schema,
    input,
    (path) => path.length === 1 && dataKeys.includes(String(path[0])),
  );
  const allWarnings = [...warnings, ...parsed.warnings];
  if (!parsed.ok) return { ok: false, errors: parsed.errors, warnings: allWarnings };

  const answer = parsed.value;
  if (answer.found !== false && dataKeys.every((key) => answer[key] === null || answer[key] === undefined)) {
    const message =
      answer.found === true
        ? `"found" is true but there is no ${quoted(dataKeys)}; send ${example}, or {"found": false} when nothing matches`
        : `the answer has no "found" and no ${quoted(dataKeys)}; send ${example}, or {"found": false} when nothing matches`;
    return { ok: false, errors: [{ path: '$', message }], warnings: allWarnings };
  }
  const unusable = dataKeys.flatMap((key) => unusableList(answer[key], key));
  if (unusable.length > 0) return { ok: false, errors: unusable, warnings: allWarnings };
  return { ok: true, value: assemble(answer, (warning) => allWarnings.push(warning)), warnings: allWarnings };
}

/**
 * A data list whose every entry was left out: the CRM meant to send data and none of it can be
 * shown, which is not the same as "nothing found" (an empty list).
 */
function unusableList(list: unknown, key: string): CrmAnswerIssue[] {
  if (!Array.isArray(list) || list.length === 0 || list.some((entry) => entry !== undefined)) return [];
  const message = `none of the ${list.length} entries could be used (see the warnings for each); fix them, or send {"found": false} when nothing matches`;
  return [{ path: formatJsonPath([key]), message }];
}
