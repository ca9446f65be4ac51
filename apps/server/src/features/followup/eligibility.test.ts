import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { defaultSmartFollowupSettings } from '@parley/contract';
import type { ChatHistory } from './candidates.ts';
import { checkEligibility, nextAttemptNumber } from './eligibility.ts';

const DAY = 24 * 3_600_000;
const now = new Date('2026-06-01T10:00:00Z');
const settings = {
  ...defaultSmartFollowupSettings,
  max_attempts: 2,
  retry_interval_hours: 48,
  reset_attempts_days: 90,
};
const previous = (attemptNumber: number, daysAgo: number) => ({
  attemptNumber,
  createdAt: new Date(now.getTime() - daysAgo * DAY),
  lastMessageAt: new Date(now.getTime() - daysAgo * DAY),
});
const history = (overrides: Partial<ChatHistory> = {}): ChatHistory => ({
  optedOut: false,
  open: false,
  previous: null,
  longestQuietMs: null,
  ...overrides,
});
const check = (chatHistory: ChatHistory, overrides: Partial<typeof settings> = {}) =>
  checkEligibility({
    settings: { ...settings, ...overrides },
    chatPhone: '+34655123987',
    history: chatHistory,
    hasCustomerMessage: true,
    now,
  });

test('attempts count on from the previous follow-up, and start anew after reset_attempts_days of silence', () => {
  assert.equal(nextAttemptNumber(settings, history()), 1);
  assert.equal(
    nextAttemptNumber(settings, history({ previous: previous(1, 5), longestQuietMs: 2 * DAY })),
    2,
  );
  assert.equal(
    nextAttemptNumber(settings, history({ previous: previous(2, 100), longestQuietMs: 89 * DAY })),
    3,
  );
  assert.equal(
    nextAttemptNumber(settings, history({ previous: previous(2, 100), longestQuietMs: 90 * DAY })),
    1,
  );
  assert.deepEqual(check(history({ previous: previous(2, 100), longestQuietMs: 91 * DAY })), {
    eligible: true,
    attemptNumber: 1,
  });
});

test('the checks before the model, in order, each with its reason', () => {
  const reasonOf = (
    chatHistory: ChatHistory,
    overrides: Partial<typeof settings> = {},
    phone = '+34655123987',
  ) => {
    const result = checkEligibility({
      settings: { ...settings, ...overrides },
      chatPhone: phone,
      history: chatHistory,
      hasCustomerMessage: true,
      now,
    });
    return result.eligible ? 'eligible' : result.reason;
  };
  assert.equal(reasonOf(history(), {}, '120363041234567890@g.us'), 'no_phone');
  assert.equal(reasonOf(history({ optedOut: true }), { exclude_phones: ['+34655123987'] }), 'excluded_phone');
  assert.equal(reasonOf(history({ optedOut: true })), 'opted_out');
  assert.equal(reasonOf(history({ open: true, previous: previous(1, 1) })), 'followup_pending');
  assert.equal(reasonOf(history({ previous: previous(2, 10) })), 'max_attempts_reached');
  assert.equal(reasonOf(history({ previous: previous(1, 1) })), 'retry_interval');
  assert.equal(reasonOf(history({ previous: previous(1, 3) })), 'eligible');
  const silent = checkEligibility({
    settings,
    chatPhone: '+34655123987',
    history: history(),
    hasCustomerMessage: false,
    now,
  });
  assert.equal(silent.eligible ? 'eligible' : silent.reason, 'no_customer_message');
});
