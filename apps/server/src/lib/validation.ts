import { parseAtBoundary } from '@parley/contract';
import type { z } from 'zod';
import { AppError } from './errors.ts';

/** Enough to find every mistake in a real request, short enough that no request can flood a reply. */
const MAX_ISSUES_SHOWN = 20;
const MAX_KEYS_SHOWN = 10;
const MAX_NAME_CHARS = 60;

/** A caller-chosen name (a path segment, an unknown key) cut to a readable length, control characters escaped. */
function shownName(name: PropertyKey): string {
  const text = JSON.stringify(String(name)).slice(1, -1);
  return text.length > MAX_NAME_CHARS ? `${text.slice(0, MAX_NAME_CHARS)}…` : text;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(shownName).join('.') : '(root)';
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.slice(0, MAX_KEYS_SHOWN).map((k) => `"${shownName(k)}"`);
    const more = issue.keys.length - shown.length;
    return `${path}: unknown field(s) ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  }
  return `${path}: ${issue.message}`;
}

/** `path.to.field: message` lines, the form every validation error in Parley uses; bounded whatever the input. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES_SHOWN).map(describeIssue);
  const more = error.issues.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more problem(s)` : ''}`;
}

/**
 * Validates input at a boundary (through the contract's parseAtBoundary, which also refuses NUL
 * characters and runaway nesting anywhere in the value); on failure an AppError that lists every
 * problem with its path.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request body',
): z.output<S> {
  const result = parseAtBoundary(schema, input);
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', `Invalid ${what}: ${describeIssues(result.error)}`, 400);
  }
  return result.data;
}

/** A route's JSON body checked against its contract schema; an absent body is `{}`. */
export const parseBody = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> =>
  parseInput(schema, body ?? {}, 'request body');
