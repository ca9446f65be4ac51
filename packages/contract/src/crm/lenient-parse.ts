import type { z } from 'zod';
import type { CrmAnswerIssue, CrmAnswerResult } from './answer-result.ts';
import { formatJsonPath, type JsonPath } from './json-path.ts';

interface Finding {
  path: JsonPath;
  message: string;
}

/** More would only bury the first ones (and a 2 MB answer can hold 100,000 wrong entries). */
const MAX_WARNINGS = 100;

/**
 * Parses `input` (a JSON value) with `schema` the lenient way
 * docs/crm-endpoints.md#how-values-are-read-leniency describes: a wrong value becomes a warning with its
 * path, is left out, and the parse runs again on what remains, until it succeeds. Issues with the value
 * itself, or at paths `isFatal` accepts (the top-level shape), end the parse as errors instead.
 *
 * Leaving values out and re-parsing, rather than making every schema swallow its own failures, keeps
 * the schemas plain zod and lets zod compute every path. A wrong list entry is replaced by `undefined`,
 * not removed, so later warnings keep the indexes the CRM sent. Each round removes at least one value
 * the CRM sent, so the loop ends; zod reports sibling problems together, so one extra round is typical
 * (two when a required field was cut).
 */
export function parseLeniently<S extends z.ZodType>(
  schema: S,
  input: unknown,
  isFatal: (path: JsonPath) => boolean,
): CrmAnswerResult<z.output<S>> {
  const warnings: CrmAnswerIssue[] = [];
  let unlisted = 0;
  const warn = (warning: CrmAnswerIssue) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(warning);
    else unlisted++;
  };
  const listed = () =>
    unlisted === 0
      ? warnings
      : [
          ...warnings,
          { path: '$', message: `${unlisted} more warnings like the ones above were not listed` },
        ];

  // zod never changes its input, so a good answer (the usual case) is parsed as it is. Cuts are made
  // in place on a private copy, made at the first cut: one copy per parse instead of one per cut keeps
  // large answers linear, and copying on every parse was a third of the cost of a good one.
  let candidate = input;
  let copied = false;
  const leftOut = new Set<string>();
  for (;;) {
    const result = schema.safeParse(candidate);
    if (result.success) return { ok: true, value: result.data, warnings: listed() };
    const findings = result.error.issues.flatMap((issue) => pinpoint(issue, []));
    const fatal = findings.filter(({ path }) => path.length === 0 || isFatal(path));
    if (fatal.length > 0) return { ok: false, errors: fatal.map(toIssue), warnings: listed() };

    if (!copied) {
      candidate = JSON.parse(JSON.stringify(candidate));
      copied = true;
    }
    let cutAny = false;
    for (const finding of findings) {
      const cut = planCut(candidate, finding, leftOut);
      if (cut === null) continue;
      warn(cut.warning);
      leftOut.add(formatJsonPath(cut.path));
      cutAny = cutAt(candidate, cut.path) || cutAny;
    }
    // Only reachable if a schema required a top-level key: nothing could be left out, so stop.
    if (!cutAny) return { ok: false, errors: findings.map(toIssue), warnings: listed() };
  }
}

const toIssue = (finding: Finding): CrmAnswerIssue => ({
  path: formatJsonPath(finding.path),
  message: finding.message,
});

const describeCut = (path: JsonPath) =>
  typeof path.at(-1) === 'number' ? 'the entry was left out' : 'the field was left out';

/** What to remove for one finding, and the warning to give, or null when an earlier cut covers it. */
function planCut(
  candidate: unknown,
  finding: Finding,
  leftOut: ReadonlySet<string>,
): { path: JsonPath; warning: CrmAnswerIssue } | null {
  const { path } = finding;
  for (let depth = 1; depth < path.length; depth++) {
    if (leftOut.has(formatJsonPath(path.slice(0, depth)))) return null;
  }
  if (valueAt(candidate, path) !== undefined) {
    return {
      path,
      warning: { path: formatJsonPath(path), message: `${finding.message}; ${describeCut(path)}` },
    };
  }
  // A required field is missing, so its parent cannot be used. If the field was there but wrong,
  // its own warning was already given; the parent's warning says why the parent went too.
  const parent = path.slice(0, -1);
  const key = JSON.stringify(String(path.at(-1)));
  const reason = leftOut.has(formatJsonPath(path))
    ? `its required ${key} was left out`
    : `${key} is required (${finding.message})`;
  return {
    path: parent,
    warning: { path: formatJsonPath(parent), message: `${describeCut(parent)}: ${reason}` },
  };
}

/**
 * zod reports a failed union (`tracking`: one object or a list) at the union itself, with each
 * option's issues inside. When exactly one option matched the value's kind (its issues all lie
 * deeper), those issues are the real ones: report them at their own paths.
 */
function pinpoint(issue: z.core.$ZodIssue, prefix: JsonPath): Finding[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    const matching = issue.errors.filter((option) => option.every((inner) => inner.path.length > 0));
    const [only] = matching;
    if (matching.length === 1 && only !== undefined) return only.flatMap((inner) => pinpoint(inner, path));
  }
  return [{ path, message: issue.message }];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isRecord(current) && typeof key === 'string' && Object.hasOwn(current, key))
      current = current[key];
    else return undefined;
  }
  return current;
}

/** Leaves out what is at `path` (a list entry becomes undefined); false if nothing was there. */
function cutAt(root: unknown, path: JsonPath): boolean {
  const container = valueAt(root, path.slice(0, -1));
  const key = path.at(-1);
  if (Array.isArray(container) && typeof key === 'number' && container[key] !== undefined) {
    container[key] = undefined;
    return true;
  }
  if (isRecord(container) && typeof key === 'string' && Object.hasOwn(container, key)) {
    delete container[key];
    return true;
  }
  return false;
}
