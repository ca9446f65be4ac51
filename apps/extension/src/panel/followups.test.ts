import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followupIntentLevels } from '@parley/contract';
import { followup } from '../../test/support/panel-data.ts';
import type { Failure } from '../shared/outcome.ts';
import {
  cardAfterChange,
  cardAfterLoad,
  changeFailureText,
  followupCardViewOf,
  followupListViewOf,
  intentText,
  noFollowup,
} from './followups.ts';
import { createTranslator } from './i18n.ts';

const listed = (...followups: ReturnType<typeof followup>[]) => ({ ok: true as const, value: { followups } });
const failed = (failure: Failure) => ({ ok: false as const, failure });
const conflict: Failure = {
  kind: 'rejected',
  status: 409,
  code: 'CONFLICT',
  detail: 'The follow-up was cancelled: the customer replied.',
};

test("the card shows the chat's first due follow-up; none, or a failed load, shows nothing", () => {
  const due = cardAfterLoad(listed(followup(), followup({ id: 'fu_2' })));
  assert.deepEqual(followupCardViewOf(due), {
    kind: 'due',
    followup: followup(),
    pending: null,
    failure: null,
    actionable: true,
    insertable: true,
  });
  assert.deepEqual(followupCardViewOf(cardAfterLoad(listed())), { kind: 'hidden' });
  assert.deepEqual(followupCardViewOf(cardAfterLoad(failed({ kind: 'unreachable', detail: 'x' }))), {
    kind: 'hidden',
  });
  assert.deepEqual(followupCardViewOf(noFollowup), { kind: 'hidden' });
});

test('a draft without text offers no Insert', () => {
  const view = followupCardViewOf(cardAfterLoad(listed(followup({ suggested_message: ' \n ' }))));
  assert.equal(view.kind === 'due' && view.insertable, false);
});

test('marked as sent, the card says so; dismissed, it is gone', () => {
  const due = cardAfterLoad(listed(followup()));
  const sent = followup({ status: 'sent', sent_at: '2026-03-02T10:05:00.000Z' });
  assert.deepEqual(followupCardViewOf(cardAfterChange(due, { ok: true, value: { followup: sent } })), {
    kind: 'sent',
    followup: sent,
  });
  const dismissed = followup({ status: 'dismissed', dismissed_at: '2026-03-02T10:05:00.000Z' });
  assert.deepEqual(followupCardViewOf(cardAfterChange(due, { ok: true, value: { followup: dismissed } })), {
    kind: 'hidden',
  });
});

test('a failed change keeps the follow-up with the error; one the server no longer holds as due has no buttons', () => {
  const due = { ...cardAfterLoad(listed(followup())), pending: 'sent' as const };
  const unreachable: Failure = { kind: 'unreachable', detail: 'Could not connect.' };
  const retryable = followupCardViewOf(cardAfterChange(due, failed(unreachable)));
  assert.equal(retryable.kind === 'due' && retryable.actionable, true);
  assert.equal(retryable.kind === 'due' && retryable.pending, null);
  assert.deepEqual(retryable.kind === 'due' && retryable.failure, unreachable);
  const gone = followupCardViewOf(cardAfterChange(due, failed(conflict)));
  assert.equal(gone.kind === 'due' && gone.actionable, false);
  assert.deepEqual(gone.kind === 'due' && gone.failure, conflict);
  const unknown = followupCardViewOf(
    cardAfterChange(
      due,
      failed({ kind: 'rejected', status: 404, code: 'NOT_FOUND', detail: 'No follow-up.' }),
    ),
  );
  assert.equal(unknown.kind === 'due' && unknown.actionable, false);
});

test('a change refused because the follow-up is gone says so; other failures say what failed', () => {
  const en = createTranslator('en-US');
  assert.match(en(changeFailureText(conflict)), /no longer due/);
  assert.equal(changeFailureText({ kind: 'timeout', detail: 'x' }), 'failure.timeout');
  assert.equal(changeFailureText({ kind: 'forbidden', status: 403, detail: 'x' }), 'failure.forbidden');
});

test('the list: loading, empty, the follow-ups; a refresh keeps them shown, a retry after a failure does not', () => {
  assert.deepEqual(followupListViewOf({ pending: true, outcome: null }), { kind: 'loading' });
  assert.deepEqual(followupListViewOf({ pending: false, outcome: listed() }), {
    kind: 'empty',
    refreshing: false,
  });
  assert.deepEqual(followupListViewOf({ pending: true, outcome: listed(followup()) }), {
    kind: 'list',
    followups: [followup()],
    refreshing: true,
  });
  const failure: Failure = { kind: 'server_error', status: 500, detail: 'Internal error' };
  assert.deepEqual(followupListViewOf({ pending: false, outcome: failed(failure) }), {
    kind: 'failure',
    failure,
  });
  assert.deepEqual(followupListViewOf({ pending: true, outcome: failed(failure) }), { kind: 'loading' });
});

test('every intent level has its text in both languages', () => {
  const es = createTranslator('es-ES');
  assert.deepEqual(
    followupIntentLevels.map((level) => es(intentText(level))),
    ['Sin intención', 'Intención baja', 'Intención media', 'Intención alta'],
  );
});
