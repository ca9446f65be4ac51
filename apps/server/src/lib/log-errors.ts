/**
 * How errors are written to the log. A failed database statement arrives as drizzle's
 * DrizzleQueryError, whose message and stack carry the statement's parameters: customer names,
 * phones, message texts. The log gets the statement's name ("insert into conversation_messages")
 * and the driver's error (code, message, constraint) instead; never the values, nor the driver's
 * `detail`, which repeats the conflicting row ("Key (phone)=(+34…) already exists").
 */
import pino from 'pino';

interface QueryError extends Error {
  query: string;
  params: unknown[];
}

const isQueryError = (error: Error): error is QueryError =>
  typeof (error as Partial<QueryError>).query === 'string' &&
  Array.isArray((error as Partial<QueryError>).params);

/** `insert into shops`, `select from agents`...: what the statement does to which table. */
export function statementName(query: string): string {
  const sql = query.trim().replace(/\s+/g, ' ');
  const table = (pattern: RegExp) => pattern.exec(sql)?.[1]?.replaceAll('"', '');
  const verb = /^\w+/.exec(sql)?.[0]?.toLowerCase() ?? 'statement';
  const name = '("?[\\w.]+"?(?:\\."?\\w+"?)?)';
  const target =
    verb === 'insert'
      ? table(new RegExp(`^insert into ${name}`, 'i'))
      : verb === 'update'
        ? table(new RegExp(`^update ${name}`, 'i'))
        : verb === 'delete'
          ? table(new RegExp(`^delete from ${name}`, 'i'))
          : table(new RegExp(` from ${name}`, 'i'));
  const verbs: Record<string, string> = {
    insert: 'insert into',
    delete: 'delete from',
    select: 'select from',
    with: 'with … from',
  };
  return target === undefined ? verb : `${verbs[verb] ?? verb} ${target}`;
}

/** The stack's frames without its first line, which repeats the message. */
const framesOf = (stack: string | undefined) =>
  (stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .join('\n');

/** The driver's error (node-postgres or PGlite), keeping what names the problem, not the row. */
function driverError(cause: unknown): unknown {
  if (!(cause instanceof Error)) return cause;
  const kept = new Error(cause.message);
  kept.name = cause.name;
  kept.stack = `${cause.name}: ${cause.message}\n${framesOf(cause.stack)}`;
  for (const field of ['code', 'severity', 'table', 'column', 'constraint', 'routine'] as const) {
    const value = (cause as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string') Object.assign(kept, { [field]: value });
  }
  return kept;
}

/** The error with every DrizzleQueryError in its cause chain replaced by a value-free one. */
export function withoutQueryValues(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 8) return error;
  if (isQueryError(error)) {
    const message = `Failed query: ${statementName(error.query)}`;
    const safe = new Error(message, { cause: driverError(error.cause) });
    safe.name = error.name;
    safe.stack = `${error.name}: ${message}\n${framesOf(error.stack)}`;
    return safe;
  }
  const cause = (error as { cause?: unknown }).cause;
  const safeCause = withoutQueryValues(cause, depth + 1);
  if (safeCause === cause) return error;
  // pino writes the causes' messages into the error's own message and stack: rebuild it on a safe cause.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as Error, error);
  Object.defineProperties(copy, {
    message: { value: error.message, enumerable: false, writable: true },
    stack: { value: error.stack, enumerable: false, writable: true },
    cause: { value: safeCause, enumerable: false, writable: true },
  });
  return copy;
}

export const serializeError = (error: unknown): unknown =>
  pino.stdSerializers.err(withoutQueryValues(error) as Error);
