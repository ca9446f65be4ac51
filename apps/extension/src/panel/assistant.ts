/**
 * "Suggest reply" decided without the DOM: which state the AI card is in, and the texts of what the
 * draft was based on, so every case the agent can meet is testable here.
 */
import type { ContextSource, SuggestReplyResponse, ToolCallRecord, ToolCallStatus } from '@parley/contract';
import type { Failure, Outcome } from '../shared/outcome.ts';
import type { MessageId, Translate } from './i18n.ts';
import type { Screen } from './screen.ts';
import type { StatusTone } from './status-tone.ts';

export interface AssistantState {
  pending: boolean;
  /** The last answer for the open chat; null before the first. */
  outcome: Outcome<SuggestReplyResponse> | null;
}

export type AssistantView =
  | { kind: 'idle' }
  | { kind: 'loading' }
  /** `insertable`: the draft has text to put into the chat. */
  | { kind: 'draft'; reply: SuggestReplyResponse; insertable: boolean }
  /** 503 AI_NOT_CONFIGURED: nothing the agent can do; `detail` is the server's message for the admin. */
  | { kind: 'ai_not_configured'; detail: string }
  /** 402 NO_CREDITS: the model was not called. */
  | { kind: 'no_credits' }
  | { kind: 'failure'; failure: Failure };

export function assistantViewOf(state: AssistantState): AssistantView {
  if (state.pending) return { kind: 'loading' };
  const { outcome } = state;
  if (outcome === null) return { kind: 'idle' };
  if (outcome.ok) {
    return { kind: 'draft', reply: outcome.value, insertable: outcome.value.reply.trim() !== '' };
  }
  const { failure } = outcome;
  if (failure.code === 'AI_NOT_CONFIGURED') return { kind: 'ai_not_configured', detail: failure.detail };
  if (failure.code === 'NO_CREDITS' || failure.status === 402) return { kind: 'no_credits' };
  return { kind: 'failure', failure };
}

/**
 * The customer tab offers a suggestion where the chat has a customer or plainly has none (not in the
 * CRM, or no CRM at all); not while it loads, asks to pick, or shows an error to deal with first.
 */
export const offersSuggestion = (screen: Screen): boolean =>
  screen.kind === 'customer' || screen.kind === 'not_found' || screen.kind === 'not_configured';

/** What the agent reads for a failure: the AI's own errors by code, the rest by kind. */
export function failureText(failure: Failure): MessageId {
  switch (failure.code) {
    case 'AI_TIMEOUT':
      return 'ai.failure.timeout';
    case 'AI_PROVIDER_ERROR':
      return 'ai.failure.provider';
    case 'AI_EMPTY_REPLY':
      return 'ai.failure.empty';
    case 'CREDITS_BUSY':
      return 'ai.failure.busy';
  }
  return failure.kind === 'timeout' ? 'ai.failure.timeout' : `failure.${failure.kind}`;
}

const toolTones: Record<ToolCallStatus, StatusTone> = {
  ok: 'success',
  http_error: 'danger',
  failed: 'danger',
  timeout: 'danger',
  invalid_arguments: 'warning',
  unknown_function: 'warning',
  duplicate: 'neutral',
  limit_reached: 'warning',
};

export const toolCallTone = (status: ToolCallStatus): StatusTone => toolTones[status];

export const toolCallLabel = (t: Translate, status: ToolCallStatus): string => t(`ai.tool.${status}`);

/** "HTTP 404 · 120 ms", whichever of the two the call has. */
export function toolCallFacts(t: Translate, call: ToolCallRecord, number: (n: number) => string): string {
  return [
    call.http_status === null ? null : t('ai.tool.http', { status: call.http_status }),
    call.latency_ms === null ? null : t('ai.tool.latency', { ms: number(call.latency_ms) }),
  ]
    .filter((part) => part !== null)
    .join(' · ');
}

const MAX_ARGUMENTS_LENGTH = 160;

/** The arguments the model sent, as compact one-line JSON; null when there were none. */
export function toolCallArguments(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && Object.keys(value).length === 0) return null;
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_ARGUMENTS_LENGTH ? `${text.slice(0, MAX_ARGUMENTS_LENGTH - 1)}…` : text;
}

/** One line per source the draft was based on, so the agent can judge it. */
export function contextSourceText(t: Translate, source: ContextSource): string {
  switch (source.kind) {
    case 'crm': {
      const { endpoint } = source;
      const text =
        source.status === 'found'
          ? t(source.has_context_text ? 'ai.source.crm.context' : 'ai.source.crm.found', { endpoint })
          : t(`ai.source.crm.${source.status}`, { endpoint });
      return source.error === undefined ? text : `${text}: ${source.error.code}`;
    }
    case 'messages':
      return t(`ai.source.messages.${source.origin}`, { count: source.count });
    case 'instruction':
      return t('ai.source.instruction');
  }
}
