/** How the delivery tools show deliveries and attempts: snake_case, ISO dates, never a secret. */
import type { AttemptOutcome } from './outcome.ts';
import { statusOf, type AttemptRow, type ListedDelivery } from './delivery-list.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

const presentError = (errorClass: string | null, code: string | null, message: string | null) =>
  errorClass === null ? null : { class: errorClass, code, message };

export const presentAttempt = (row: AttemptRow) => ({
  attempt: row.attempt,
  started_at: row.startedAt.toISOString(),
  outcome: row.outcome,
  http_status: row.httpStatus,
  latency_ms: row.latencyMs,
  error: presentError(row.errorClass, row.errorCode, row.errorMessage),
  response_excerpt: row.responseExcerpt,
});

export function presentDelivery(delivery: ListedDelivery) {
  const status = statusOf(delivery);
  return {
    event_id: delivery.eventId,
    event: delivery.event,
    created_at: delivery.createdAt.toISOString(),
    status,
    attempt_count: delivery.attempts,
    next_attempt_at: status === 'pending' || status === 'failed' ? delivery.dueAt.toISOString() : null,
    delivered_at: iso(delivery.deliveredAt),
    // The stored body is JSON Parley wrote itself.
    payload: JSON.parse(delivery.body) as unknown,
    attempts: delivery.attemptRows.map(presentAttempt),
  };
}

/** What one attempt made now came to (test_webhook, redeliver_webhook). */
export const presentOutcome = (outcome: AttemptOutcome) => ({
  delivered: outcome.delivered,
  http_status: outcome.httpStatus,
  latency_ms: outcome.latencyMs,
  response_excerpt: outcome.responseExcerpt,
  error: outcome.error,
});
