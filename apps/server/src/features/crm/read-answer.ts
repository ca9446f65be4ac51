/**
 * From an HTTP response to a usable CRM answer or the error that says what to fix: the status,
 * then JSON, then the contract's lenient parse (docs/crm-endpoints.md#how-values-are-read-leniency).
 */
import {
  parseCrmAnswer,
  type CrmAnswerIssue,
  type CrmEndpointType,
  type PanelCrmAnswers,
} from '@parley/contract';
import { badShapeError, httpStatusError, notJsonError, type CrmCallError } from './call-errors.ts';
import type { SecretScrubber } from './secret-scrubber.ts';

export interface CrmResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type AnswerReading<T extends CrmEndpointType> =
  | { ok: true; answer: PanelCrmAnswers[T]; warnings: CrmAnswerIssue[] }
  | {
      ok: false;
      error: CrmCallError;
      /** Set when the answer was JSON but its shape could not be used. */
      validation?: { errors: CrmAnswerIssue[]; warnings: CrmAnswerIssue[] };
    };

const QUOTED_CHARS = 200;

/** The start of a body, on one line and quoted, for messages. */
export function quoteBody(body: Buffer, scrubber: SecretScrubber): string {
  const text = scrubber
    .text(body.subarray(0, QUOTED_CHARS * 4).toString('utf8'))
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return '';
  return JSON.stringify(text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text);
}

const scrubIssues = (issues: CrmAnswerIssue[], scrubber: SecretScrubber) =>
  issues.length === 0 ? issues : scrubber.json(issues);

export function readCrmAnswer<T extends CrmEndpointType>(
  type: T,
  response: CrmResponse,
  scrubber: SecretScrubber,
): AnswerReading<T> {
  const { status, body } = response;
  if (status < 200 || status > 299) {
    return { ok: false, error: httpStatusError(status, quoteBody(body, scrubber)) };
  }
  const contentType = response.headers['content-type'];
  const text = body.toString('utf8');
  if (text.trim() === '') {
    return { ok: false, error: notJsonError(status, contentType, 'the body is empty', '') };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // JSON.parse says where it stopped ("Unexpected token < in JSON at position 0"): that is the fix.
    const reason = `the body is not JSON (${error instanceof Error ? error.message : 'unparsable'})`;
    return {
      ok: false,
      error: notJsonError(status, contentType, scrubber.text(reason), quoteBody(body, scrubber)),
    };
  }
  const parsed = parseCrmAnswer(type, json);
  const warnings = scrubIssues(parsed.warnings, scrubber);
  if (!parsed.ok) {
    const errors = scrubIssues(parsed.errors, scrubber);
    return { ok: false, error: badShapeError(errors), validation: { errors, warnings } };
  }
  return { ok: true, answer: parsed.value, warnings };
}
