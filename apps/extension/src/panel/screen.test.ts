import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customer, lookupAnswer } from '../../test/support/panel-data.ts';
import type { Outcome } from '../shared/outcome.ts';
import type { CustomerLookupResponse } from '@parley/contract';
import { screenOf, type PanelState } from './screen.ts';

const phoneChat = { kind: 'phone', phone: '+34655123987', name: 'Lucía', source: 'messages' } as const;

const state = (overrides: Partial<PanelState> = {}): PanelState => ({
  configured: true,
  chat: phoneChat,
  lookup: null,
  selected: null,
  chosenFromSearch: null,
  ...overrides,
});

const answered = (outcome: Outcome<CustomerLookupResponse>) => ({
  phone: '+34655123987',
  outcome,
  pending: false,
});
const ok = (overrides: Partial<CustomerLookupResponse> = {}) =>
  answered({ ok: true, value: lookupAnswer(overrides) });

test('before anything: setup when not configured, no chat, a chat without number, loading', () => {
  assert.equal(screenOf(state({ configured: false })).kind, 'setup');
  assert.equal(screenOf(state({ chat: null })).kind, 'no_chat');
  assert.equal(screenOf(state({ chat: { kind: 'none' } })).kind, 'no_chat');
  assert.deepEqual(
    screenOf(state({ chat: { kind: 'no_phone', reason: 'lid', name: 'Marta', source: 'messages' } })),
    {
      kind: 'no_phone',
      reason: 'lid',
    },
  );
  assert.equal(screenOf(state()).kind, 'loading');
  assert.equal(
    screenOf(state({ lookup: { phone: '+34655123987', outcome: null, pending: true } })).kind,
    'loading',
  );
});

test('one customer is shown; several are offered in a picker until one is chosen', () => {
  assert.equal(screenOf(state({ lookup: ok() })).kind, 'customer');
  const two = ok({ customers: [customer(), customer({ id: '50877', name: 'Lucía (work)' })] });
  assert.equal(screenOf(state({ lookup: two })).kind, 'picker');
  const chosen = screenOf(state({ lookup: two, selected: 1 }));
  assert.equal(chosen.kind === 'customer' && chosen.customer.id, '50877');
  assert.equal(chosen.kind === 'customer' && chosen.matches, 2);
  assert.equal(screenOf(state({ lookup: two, selected: 7 })).kind, 'picker');
});

test('a customer the agent linked is marked so, whatever the CRM formatting of its number', () => {
  const linked = ok({
    customers: [customer({ phone: '+34 911 22 23 33' })],
    linked_phones: ['+34911222333'],
  });
  const shown = screenOf(state({ lookup: linked }));
  assert.equal(shown.kind === 'customer' && shown.linked, true);
  const own = screenOf(state({ lookup: ok({ linked_phones: ['+34911222333'] }) }));
  assert.equal(own.kind === 'customer' && own.linked, false);
});

test("each server status has its screen, with the CRM's error when there is one", () => {
  assert.deepEqual(screenOf(state({ lookup: ok({ status: 'not_found', customers: [] }) })), {
    kind: 'not_found',
    phone: '+34655123987',
  });
  assert.equal(
    screenOf(state({ lookup: ok({ status: 'not_configured', customers: [] }) })).kind,
    'not_configured',
  );
  const error = { code: 'TIMEOUT', message: 'The CRM did not answer within 60 s.' };
  assert.deepEqual(screenOf(state({ lookup: ok({ status: 'error', customers: [], error }) })), {
    kind: 'crm_error',
    error,
  });
  assert.deepEqual(screenOf(state({ lookup: ok({ status: 'disabled', customers: [] }) })), {
    kind: 'disabled',
    error: null,
  });
});

test('a failed call to the server is an error screen, except a missing setup', () => {
  const failure = { kind: 'unreachable', detail: 'Could not connect.' } as const;
  assert.deepEqual(screenOf(state({ lookup: answered({ ok: false, failure }) })), {
    kind: 'failure',
    failure,
  });
  const missing = { kind: 'not_configured', detail: 'Set the server URL.' } as const;
  assert.equal(screenOf(state({ lookup: answered({ ok: false, failure: missing }) })).kind, 'setup');
});
