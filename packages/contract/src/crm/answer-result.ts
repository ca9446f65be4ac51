/**
 * One finding about a CRM answer. `path` is JSONPath text (`$.customers[0].orders[1].amount`, `$` for the
 * answer itself); `message` says what was expected and what came, so the integrator knows what to fix.
 */
export interface CrmAnswerIssue {
  path: string;
  message: string;
}

/**
 * Warnings describe values that were left out while the rest of the answer was used; errors mean the
 * answer as a whole could not be used. Warnings are returned in both cases: they often explain the error.
 */
export type CrmAnswerResult<T> =
  | { ok: true; value: T; warnings: CrmAnswerIssue[] }
  | { ok: false; errors: CrmAnswerIssue[]; warnings: CrmAnswerIssue[] };
