/**
 * What one function call the model asked for came to: the record the agent and the log see, and
 * the tool message the model gets. The model always gets JSON with `ok`, so it can tell an answer
 * from a failure, and a failure carries a code and a message that say what to do next.
 */
import { inputHazards, type ToolCallStatus } from '@parley/contract';
import { neutralize, neutralizeDeep } from '../../lib/data-fence.ts';
import type { FunctionHttpResult } from './call-function.ts';

export interface CallOutcome {
  status: ToolCallStatus;
  httpStatus: number | null;
  latencyMs: number | null;
  /** For the agent and the log. */
  error?: string;
  /** The tool message content for the model. */
  content: string;
}

/** Short enough not to crowd the model's context with an error page. */
const ERROR_EXCERPT_CHARS = 2_000;

/**
 * The answer as the model sees it: parsed JSON when it fits, else text cut at `maxChars` with a
 * notice. Either way neutralized like CRM data (lib/data-fence.ts): a function's endpoint is as
 * untrusted as the CRM, and its answer may carry text a customer wrote.
 */
function presentAnswer(text: string, maxChars: number): { answer: unknown; notice?: string } {
  if (text.length > maxChars) {
    return {
      answer: neutralize(text.slice(0, maxChars)),
      notice: `The answer had ${text.length} characters; only the first ${maxChars} are shown.`,
    };
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    // JSON nested too deep to walk safely (or holding NUL characters) goes to the model as its text.
    if (inputHazards(parsed).length === 0) return { answer: neutralizeDeep(parsed) };
  } catch {
    // Not JSON: the model gets the text.
  }
  return { answer: neutralize(text) };
}

export function outcomeOfHttp(result: FunctionHttpResult, maxChars: number): CallOutcome {
  const base = { status: result.status, httpStatus: result.httpStatus, latencyMs: result.latencyMs };
  if (result.status === 'ok') {
    const { answer, notice } = presentAnswer(result.body ?? '', maxChars);
    const content = { ok: true, http_status: result.httpStatus, answer, ...(notice ? { notice } : {}) };
    return { ...base, content: JSON.stringify(content) };
  }
  if (result.status === 'http_error') {
    const message = `The function's endpoint answered HTTP ${result.httpStatus}.`;
    const { answer } = presentAnswer(result.body ?? '', ERROR_EXCERPT_CHARS);
    const content = {
      ok: false,
      http_status: result.httpStatus,
      error: { code: 'HTTP_ERROR', message },
      answer,
    };
    return { ...base, error: message, content: JSON.stringify(content) };
  }
  const error = result.error ?? { code: 'FAILED', message: 'The call failed.' };
  return { ...base, error: error.message, content: JSON.stringify({ ok: false, error }) };
}

/** A call answered without an HTTP request: invalid, unknown, or over a limit. */
export function refusedCall(
  status: Exclude<ToolCallStatus, 'ok' | 'http_error' | 'failed' | 'timeout' | 'duplicate'>,
  code: string,
  message: string,
  details?: unknown,
): CallOutcome {
  const error = details === undefined ? { code, message } : { code, message, details };
  return {
    status,
    httpStatus: null,
    latencyMs: null,
    error: message,
    content: JSON.stringify({ ok: false, error }),
  };
}
