/**
 * Telling "the database is unreachable" apart from every other database error: the first is an
 * outage (HTTP 503 `DATABASE_UNAVAILABLE`, a worker that waits and tries again, `/health` degraded),
 * the others are faults. docs/operations.md describes what an operator sees.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { DatabaseNotAnsweringError } from './not-answering.ts';

/**
 * SQLSTATEs meaning the connection or the server went away, not that the statement was wrong:
 * class 08 (connection exception), admin/crash shutdown and "cannot connect now" (57P01-57P03, what
 * `pg_terminate_backend`, a restart or a failover answer), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;

/** Node socket errors of a connection that could not be made or was cut. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What node-postgres and pg-pool say when a connection ends or cannot be had in time. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Query read timeout',
];

function isUnavailableCause(error: unknown): boolean {
  if (error instanceof DatabaseNotAnsweringError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET_CODES.has(code))) {
    return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((known) => message.startsWith(known));
}

/**
 * True when `error`, or what it wraps (drizzle wraps the driver's error in `cause`; a failed
 * connect may be an AggregateError), says the database could not be reached.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (isUnavailableCause(error)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** The innermost message of an unavailability error (a socket error, the server's own words). */
export function unavailableReason(error: unknown): string {
  let inner = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (inner as { cause?: unknown } | null)?.cause;
    if (typeof cause !== 'object' || cause === null) break;
    inner = cause;
  }
  // A drizzle error's own message quotes the statement and its parameters; the driver's does not.
  return inner instanceof Error && inner !== error
    ? inner.message
    : String((error as Error).message ?? error);
}

/**
 * Whether the database answers a trivial statement within `timeoutMs`: what `/health` reports. A
 * statement that outlives the timeout is left to the connection's own watchdog (pg-connection.ts).
 */
export async function databaseAnswers(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answered = db.execute(sql`select 1`).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RetryOptions {
  /** Gives up (rethrows the last error) once this long has passed since the first try. */
  giveUpAfterMs: number;
  /** Stops waiting (rethrows) when aborted: the process is shutting down. */
  signal?: AbortSignal;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `operation` again, with a doubling pause, while it fails because the database is unreachable:
 * for work whose outcome is known and must still be written (a webhook attempt's result). Any other
 * error is rethrown at once. `operation` must be safe to repeat (a fenced or idempotent write).
 */
export async function retryWhileUnavailable<T>(
  operation: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const giveUpAt = performance.now() + options.giveUpAfterMs;
  let delay = options.firstDelayMs ?? 250;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      const left = giveUpAt - performance.now();
      if (!isDatabaseUnavailable(error) || left <= 0 || options.signal?.aborted === true) throw error;
      await pause(Math.min(delay, left), options.signal);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5_000);
    }
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });
}
