/**
 * The execution log of custom function calls (`get_function_logs`): one row per call the model
 * asked for, what was sent (the model's arguments, never the definition's credentials) and what
 * came of it. Written in one insert per reply, after the reply, so the log costs the reply nothing.
 */
import { and, desc, eq, gte } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.ts';
import { functionCallLogs } from '../../db/schema.ts';
import { newestFirst } from '../../db/newest-first.ts';
import { newId } from '../../lib/ids.ts';
import type { ExecutedCall } from './tool-calls.ts';

/** The model may put a customer's password or a token into an argument; the log keeps its name only. */
const SECRET_NAME = /pass(word)?|secret|token|api[-_]?key|authorization|credential/i;

function redactArguments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactArguments);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        SECRET_NAME.test(key) ? '[redacted]' : redactArguments(item),
      ]),
    );
  }
  return value;
}

export async function writeFunctionLogs(
  deps: Pick<AppDeps, 'db'>,
  shopId: string,
  replyId: string,
  calls: readonly ExecutedCall[],
): Promise<void> {
  if (calls.length === 0) return;
  await deps.db.insert(functionCallLogs).values(
    calls.map((call) => ({
      id: newId('fnlog'),
      shopId,
      replyId,
      functionName: call.name,
      arguments: redactArguments(call.arguments),
      status: call.outcome.status,
      httpStatus: call.outcome.httpStatus,
      latencyMs: call.outcome.latencyMs,
      error: call.outcome.error ?? null,
      createdAt: call.at,
    })),
  );
}

export interface FunctionLogFilter {
  functionName?: string | undefined;
  since?: Date | undefined;
  limit: number;
}

export async function listFunctionLogs(deps: Pick<AppDeps, 'db'>, shopId: string, filter: FunctionLogFilter) {
  const rows = await deps.db
    .select()
    .from(functionCallLogs)
    .where(
      and(
        eq(functionCallLogs.shopId, shopId),
        filter.functionName === undefined
          ? undefined
          : eq(functionCallLogs.functionName, filter.functionName),
        filter.since === undefined ? undefined : gte(functionCallLogs.createdAt, filter.since),
      ),
    )
    .orderBy(newestFirst(functionCallLogs.createdAt), desc(functionCallLogs.id))
    .limit(filter.limit);
  return rows.map((row) => ({
    function: row.functionName,
    reply_id: row.replyId,
    arguments: row.arguments,
    status: row.status,
    http_status: row.httpStatus,
    latency_ms: row.latencyMs,
    error: row.error,
    at: row.createdAt.toISOString(),
  }));
}
