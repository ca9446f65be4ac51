/**
 * The one entry point for validating what a caller sends (request bodies, query strings, path
 * parameters, MCP tool arguments). Before the schema runs, the raw value is walked once for what no
 * schema should have to remember field by field:
 * - U+0000 in any string or key: PostgreSQL text cannot hold it, so it would fail the statement
 *   instead of naming the field;
 * - nesting deeper than MAX_INPUT_DEPTH: recursive code downstream (error messages, JSON
 *   serialization, canonical forms) would overflow the stack on a value a few kilobytes long.
 * The walk is iterative, so no input can overflow it.
 */
import { z } from 'zod';

/** Deeper than any Parley shape (function parameter schemas included) needs. */
export const MAX_INPUT_DEPTH = 64;

/** More NUL findings than this say nothing new; the first ones name the fields to fix. */
const MAX_REPORTED = 5;

type Path = Array<string | number>;

/**
 * True when the value holds a hazard. The common case (none) is answered without building paths:
 * on a 500-message intake body this walk costs less than the schema's own parse.
 */
function hasHazard(input: unknown): boolean {
  const values: unknown[] = [input];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return true;
    if (Array.isArray(value)) {
      for (const item of value) {
        values.push(item);
        depths.push(depth + 1);
      }
      continue;
    }
    // JSON-parsed objects have no inherited enumerable keys, so for...in visits their own keys only.
    for (const key in value) {
      if (key.includes('\u0000')) return true;
      values.push((value as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return false;
}

/** The problems of the raw value as zod issues (empty when there is none), at most a few. */
export function inputHazards(input: unknown): z.core.$ZodIssue[] {
  if (!hasHazard(input)) return [];
  const issues: z.core.$ZodIssue[] = [];
  const pending: Array<{ value: unknown; path: Path }> = [{ value: input, path: [] }];
  while (pending.length > 0 && issues.length < MAX_REPORTED) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) issues.push(nulIssue(path));
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_INPUT_DEPTH) {
      issues.push({
        code: 'custom',
        path,
        message: `is nested more than ${MAX_INPUT_DEPTH} levels deep; send a flatter value`,
        input: undefined,
      });
      continue;
    }
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        pending.push({ value: value[index], path: [...path, index] });
      }
      continue;
    }
    const entries = Object.entries(value);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, item] = entries[index]!;
      if (key.includes('\u0000')) {
        issues.push({ ...nulIssue(path), message: 'has a field name with a NUL (\\u0000) character' });
        continue;
      }
      pending.push({ value: item, path: [...path, key] });
    }
  }
  return issues;
}

const nulIssue = (path: Path): z.core.$ZodIssue => ({
  code: 'custom',
  path,
  message: 'must not contain NUL (\\u0000) characters',
  input: undefined,
});

/**
 * `schema.safeParse(input)`, refusing first what inputHazards finds (the schema does not run then:
 * its own checks could be the recursive code the depth limit protects).
 */
export function parseAtBoundary<S extends z.ZodType>(
  schema: S,
  input: unknown,
): z.ZodSafeParseResult<z.output<S>> {
  const hazards = inputHazards(input);
  if (hazards.length > 0)
    return { success: false, error: new z.ZodError(hazards) as z.ZodError<z.output<S>> };
  return schema.safeParse(input) as z.ZodSafeParseResult<z.output<S>>;
}
