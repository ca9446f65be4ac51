/**
 * A CRM call's outcome in the panel's one vocabulary (docs/side-panel.md#looking-up-a-customer): found,
 * not_found, not_configured, disabled or error, with the normalized results, when and how fast the CRM
 * answered, and the warnings about parts of its answer that were left out.
 */
import type { CrmAnswerIssue, CrmEndpointType, PanelCallStatus, PanelCrmAnswers } from '@parley/contract';
import type { CrmCallOutcome } from '../crm/index.ts';

export interface PanelCallResult<R> {
  status: PanelCallStatus;
  results: R[];
  fetchedAt: Date;
  /** Null when no call was made. */
  latencyMs: number | null;
  error?: { code: string; message: string };
  warnings: CrmAnswerIssue[];
}

export function toCallResult<T extends CrmEndpointType, R>(
  type: T,
  outcome: CrmCallOutcome<T>,
  fetchedAt: Date,
  pick: (answer: PanelCrmAnswers[T]) => R[],
): PanelCallResult<R> {
  const none = { results: [], fetchedAt, warnings: [] };
  switch (outcome.status) {
    case 'ok':
      return {
        status: outcome.answer.found ? 'found' : 'not_found',
        results: pick(outcome.answer),
        fetchedAt,
        latencyMs: outcome.latencyMs,
        warnings: outcome.warnings,
      };
    case 'not_configured':
      return {
        ...none,
        status: 'not_configured',
        latencyMs: null,
        error: {
          code: 'NOT_CONFIGURED',
          message: `This shop has no ${type} CRM endpoint; add one with the update_crm_endpoints MCP tool.`,
        },
      };
    case 'disabled':
      return { ...none, status: 'disabled', latencyMs: null, error: outcome.error };
    case 'busy':
      return { ...none, status: 'error', latencyMs: null, error: outcome.error };
    case 'error':
      return { ...none, status: 'error', latencyMs: outcome.latencyMs, error: outcome.error };
  }
}

/** The fields every panel answer about a CRM call shares. */
export const presentCall = (call: PanelCallResult<unknown>) => ({
  status: call.status,
  fetched_at: call.fetchedAt.toISOString(),
  latency_ms: call.latencyMs,
  ...(call.error === undefined ? {} : { error: call.error }),
  warnings: call.warnings,
});
