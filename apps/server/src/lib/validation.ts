import type { z } from 'zod';
import { AppError } from './errors.ts';

/** `path.to.field: message` lines, the form every validation error in Parley uses. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      if (issue.code === 'unrecognized_keys') {
        return `${path}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      }
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates input at a boundary; on failure an AppError that lists every problem with its path. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request body',
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', `Invalid ${what}: ${describeIssues(result.error)}`, 400);
  }
  return result.data;
}
