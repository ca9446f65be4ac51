import { AppError } from '../errors.ts';

/** The model API failed or was refused: the operator's (or shop's) model settings need a look. */
export const providerError = (message: string, details?: Record<string, unknown>) =>
  new AppError('AI_PROVIDER_ERROR', message, 502, details);

export const providerTimeout = (timeoutMs: number) =>
  new AppError('AI_TIMEOUT', `The model API did not answer within ${timeoutMs} ms.`, 504);

/** The API answered 2xx with something that is not a Chat Completions response. */
export const badResponse = (reason: string) =>
  new AppError(
    'AI_BAD_RESPONSE',
    `The model API's answer is not an OpenAI-compatible Chat Completions response: ${reason}.`,
    502,
  );
