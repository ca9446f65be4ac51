/**
 * The checks a conversation passes before any model call (so before any credit is spent), in the
 * order they are reported, and the attempt number its follow-up would have. Pure.
 */
import type { FollowupSkipReason, SmartFollowupSettings } from '@parley/contract';
import type { ChatHistory } from './candidates.ts';

const HOUR_MS = 3_600_000;
/**
 * Intake stores only chats with a valid phone, so this guards what other channels may one day store
 * (a group, a hidden number): a follow-up needs a number to open the chat with.
 */
const E164 = /^\+[1-9]\d{6,14}$/;

export interface EligibilityInput {
  settings: SmartFollowupSettings;
  chatPhone: string;
  history: ChatHistory;
  /** Whether the analysed messages hold one from the customer. */
  hasCustomerMessage: boolean;
  now: Date;
}

export type Eligibility =
  { eligible: true; attemptNumber: number } | { eligible: false; reason: FollowupSkipReason; detail: string };

/**
 * The attempt a new follow-up would be: one more than the chat's previous attempt, unless the chat
 * has been quiet for `reset_attempts_days` since, which starts the count anew.
 */
export function nextAttemptNumber(settings: SmartFollowupSettings, history: ChatHistory): number {
  if (history.previous === null) return 1;
  const resetMs = settings.reset_attempts_days * 24 * HOUR_MS;
  if (history.longestQuietMs !== null && history.longestQuietMs >= resetMs) return 1;
  return history.previous.attemptNumber + 1;
}

export function checkEligibility(input: EligibilityInput): Eligibility {
  const { settings, chatPhone, history, now } = input;
  const skip = (reason: FollowupSkipReason, detail: string): Eligibility => ({
    eligible: false,
    reason,
    detail,
  });
  if (!E164.test(chatPhone)) return skip('no_phone', 'The chat has no phone number a follow-up could reach.');
  if (settings.exclude_phones.includes(chatPhone))
    return skip('excluded_phone', 'The phone is in exclude_phones.');
  if (history.optedOut) return skip('opted_out', 'The customer asked not to be followed up.');
  if (!input.hasCustomerMessage)
    return skip('no_customer_message', 'The customer wrote nothing in this conversation.');
  if (history.open) {
    return skip('followup_pending', 'A follow-up of this conversation is still pending or due.');
  }
  const previous = history.previous;
  const attemptNumber = nextAttemptNumber(settings, history);
  if (attemptNumber > settings.max_attempts) {
    return skip(
      'max_attempts_reached',
      `This conversation already had ${settings.max_attempts} follow-up(s) (max_attempts).`,
    );
  }
  if (attemptNumber > 1 && previous !== null) {
    const nextAllowed = previous.createdAt.getTime() + settings.retry_interval_hours * HOUR_MS;
    if (now.getTime() < nextAllowed) {
      return skip(
        'retry_interval',
        `The last follow-up was less than ${settings.retry_interval_hours} h ago (retry_interval_hours); next from ${new Date(nextAllowed).toISOString()}.`,
      );
    }
  }
  return { eligible: true, attemptNumber };
}
