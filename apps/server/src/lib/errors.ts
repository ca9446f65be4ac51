/**
 * The one error family that crosses the wire. Anything thrown that is not an AppError is a
 * fault: it is logged and answered as 500 (HTTP) or -32603 (JSON-RPC), never as a client error.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, status = 400, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** Shorthands for the codes every feature uses; feature-specific codes are created in place. */
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError('VALIDATION_FAILED', message, 400, details);
export const unauthorized = (message = 'Unauthorized: invalid or missing Bearer token') =>
  new AppError('UNAUTHORIZED', message, 401);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message, 403);
export const notFound = (message: string) => new AppError('NOT_FOUND', message, 404);
