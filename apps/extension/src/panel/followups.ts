/**
 * Smart Follow-up in the panel, decided without the DOM: what the open chat's follow-up card and the
 * "Follow-ups" tab show for each answer the server can give, so every case is testable here.
 */
import type {
  FollowupChangeResponse,
  FollowupIntentLevel,
  FollowupView,
  ListFollowupsResponse,
} from '@parley/contract';
import type { Failure, Outcome } from '../shared/outcome.ts';
import type { MessageId } from './i18n.ts';
import type { StatusTone } from './status-tone.ts';

export type FollowupChange = 'sent' | 'dismiss';

export interface FollowupCardState {
  /** The chat's due follow-up, or the one the agent just changed; null: nothing to show. */
  followup: FollowupView | null;
  /** The change on its way to the server. */
  pending: FollowupChange | null;
  /** Why the agent's last change failed. */
  failure: Failure | null;
}

export const noFollowup: FollowupCardState = { followup: null, pending: null, failure: null };

export type FollowupCardView =
  | { kind: 'hidden' }
  /**
   * `actionable`: as far as the panel knows, the server still holds it as due, so the buttons can do
   * something; `insertable`: the draft has text to put into the chat.
   */
  | {
      kind: 'due';
      followup: FollowupView;
      pending: FollowupChange | null;
      failure: Failure | null;
      actionable: boolean;
      insertable: boolean;
    }
  | { kind: 'sent'; followup: FollowupView };

/**
 * The chat's list of due follow-ups. A failed load hides the card: the customer tab already shows
 * why the server failed, and the "Follow-ups" tab tells it in full.
 */
export function cardAfterLoad(outcome: Outcome<ListFollowupsResponse>): FollowupCardState {
  const [due] = outcome.ok ? outcome.value.followups : [];
  return { followup: due ?? null, pending: null, failure: null };
}

export function cardAfterChange(
  state: FollowupCardState,
  outcome: Outcome<FollowupChangeResponse>,
): FollowupCardState {
  return outcome.ok
    ? { followup: outcome.value.followup, pending: null, failure: null }
    : { ...state, pending: null, failure: outcome.failure };
}

export function followupCardViewOf(state: FollowupCardState): FollowupCardView {
  const { followup, pending, failure } = state;
  if (followup === null) return { kind: 'hidden' };
  switch (followup.status) {
    case 'due':
      return {
        kind: 'due',
        followup,
        pending,
        failure,
        actionable: failure === null || !isGone(failure),
        insertable: followup.suggested_message.trim() !== '',
      };
    case 'sent':
      return { kind: 'sent', followup };
    default:
      // Dismissed, or no longer due on the server's side: nothing left for the agent to do.
      return { kind: 'hidden' };
  }
}

/** 404: no such follow-up; 409: dismissed, cancelled or expired meanwhile. */
const isGone = (failure: Failure) => failure.status === 404 || failure.status === 409;

export function changeFailureText(failure: Failure): MessageId {
  return isGone(failure) ? 'followup.failure.gone' : `failure.${failure.kind}`;
}

export interface FollowupListState {
  pending: boolean;
  /** The last answer; null before the first. */
  outcome: Outcome<ListFollowupsResponse> | null;
}

export type FollowupListView =
  | { kind: 'loading' }
  | { kind: 'empty'; refreshing: boolean }
  /** `refreshing`: the list shown is being asked for again. */
  | { kind: 'list'; followups: FollowupView[]; refreshing: boolean }
  | { kind: 'failure'; failure: Failure };

/** A refresh keeps showing the list it refreshes; a Retry after a failure shows loading. */
export function followupListViewOf(state: FollowupListState): FollowupListView {
  const { pending, outcome } = state;
  if (outcome === null || (pending && !outcome.ok)) return { kind: 'loading' };
  if (!outcome.ok) return { kind: 'failure', failure: outcome.failure };
  const { followups } = outcome.value;
  return followups.length === 0
    ? { kind: 'empty', refreshing: pending }
    : { kind: 'list', followups, refreshing: pending };
}

const intentTones: Record<FollowupIntentLevel, StatusTone> = {
  high: 'success',
  medium: 'info',
  low: 'neutral',
  none: 'neutral',
};

export const intentTone = (level: FollowupIntentLevel): StatusTone => intentTones[level];

export const intentText = (level: FollowupIntentLevel): MessageId => `followup.intent.${level}`;
