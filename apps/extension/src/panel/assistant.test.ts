import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toolCallStatuses, type SuggestReplyResponse } from '@parley/contract';
import { customer } from '../../test/support/panel-data.ts';
import {
  assistantViewOf,
  contextSourceText,
  failureText,
  offersSuggestion,
  toolCallArguments,
  toolCallFacts,
  toolCallLabel,
  toolCallTone,
} from './assistant.ts';
import { createTranslator } from './i18n.ts';
import type { Screen } from './screen.ts';

const en = createTranslator('en-US');
const es = createTranslator('es-ES');

const answer = (overrides: Partial<SuggestReplyResponse> = {}): SuggestReplyResponse => ({
  reply_id: 'rpl_1',
  reply: 'Hola Lucía, tu pedido sale hoy.',
  phone: '+34655123987',
  tool_calls: [],
  context_sources: [],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  credits_charged: 15,
  ...overrides,
});

test('idle before the first suggestion, loading while one is on its way, then the draft', () => {
  assert.deepEqual(assistantViewOf({ pending: false, outcome: null }), { kind: 'idle' });
  assert.deepEqual(assistantViewOf({ pending: true, outcome: null }), { kind: 'loading' });
  // "Try again" shows the loading state, not the previous draft as if it were the new one.
  const previous = { ok: true as const, value: answer() };
  assert.deepEqual(assistantViewOf({ pending: true, outcome: previous }), { kind: 'loading' });
  assert.deepEqual(assistantViewOf({ pending: false, outcome: previous }), {
    kind: 'draft',
    reply: answer(),
    insertable: true,
  });
  const blank = assistantViewOf({ pending: false, outcome: { ok: true, value: answer({ reply: ' \n ' }) } });
  assert.equal(blank.kind === 'draft' && blank.insertable, false);
});

test('AI not configured and no credits have their own states; other failures are errors', () => {
  const notConfigured = {
    kind: 'server_error',
    status: 503,
    code: 'AI_NOT_CONFIGURED',
    detail: 'The AI assistant is not configured (missing PARLEY_LLM_BASE_URL).',
  } as const;
  assert.deepEqual(assistantViewOf({ pending: false, outcome: { ok: false, failure: notConfigured } }), {
    kind: 'ai_not_configured',
    detail: notConfigured.detail,
  });
  const noCredits = {
    kind: 'rejected',
    status: 402,
    code: 'NO_CREDITS',
    detail: 'No credits available',
  } as const;
  assert.deepEqual(assistantViewOf({ pending: false, outcome: { ok: false, failure: noCredits } }), {
    kind: 'no_credits',
  });
  // A 503 that is not AI_NOT_CONFIGURED (credits held by other replies) is an error with Retry.
  const busy = { kind: 'server_error', status: 503, code: 'CREDITS_BUSY', detail: 'held' } as const;
  assert.deepEqual(assistantViewOf({ pending: false, outcome: { ok: false, failure: busy } }), {
    kind: 'failure',
    failure: busy,
  });
});

test("a failure reads as the AI's own error by code, otherwise by kind", () => {
  const failure = (code: string | undefined, kind: 'server_error' | 'timeout' | 'unreachable') => ({
    kind,
    detail: '',
    ...(code === undefined ? {} : { code }),
  });
  assert.equal(failureText(failure('AI_TIMEOUT', 'server_error')), 'ai.failure.timeout');
  assert.equal(failureText(failure('AI_PROVIDER_ERROR', 'server_error')), 'ai.failure.provider');
  assert.equal(failureText(failure('AI_EMPTY_REPLY', 'server_error')), 'ai.failure.empty');
  assert.equal(failureText(failure('CREDITS_BUSY', 'server_error')), 'ai.failure.busy');
  assert.equal(failureText(failure(undefined, 'timeout')), 'ai.failure.timeout');
  assert.equal(failureText(failure(undefined, 'unreachable')), 'failure.unreachable');
  assert.equal(failureText(failure('INTERNAL', 'server_error')), 'failure.server_error');
});

test('a suggestion is offered with a customer, or plainly none; not while loading or on an error', () => {
  assert.equal(offersSuggestion({ kind: 'customer', customer: customer(), matches: 1, linked: false }), true);
  assert.equal(offersSuggestion({ kind: 'not_found', phone: '+34611000111' }), true);
  assert.equal(offersSuggestion({ kind: 'not_configured' }), true);
  const elsewhere: Screen[] = [
    { kind: 'loading' },
    { kind: 'setup' },
    { kind: 'no_chat' },
    { kind: 'picker', customers: [customer(), customer({ id: '50877' })] },
    { kind: 'crm_error', error: null },
    { kind: 'disabled', error: null },
    { kind: 'failure', failure: { kind: 'unreachable', detail: '' } },
  ];
  for (const screen of elsewhere) {
    assert.equal(offersSuggestion(screen), false, screen.kind);
  }
});

test('tool calls: every status has a label in both languages and a tone', () => {
  for (const status of toolCallStatuses) {
    assert.notEqual(toolCallLabel(en, status), '', status);
    assert.notEqual(toolCallLabel(es, status), '', status);
    assert.ok(['success', 'info', 'warning', 'danger', 'neutral'].includes(toolCallTone(status)), status);
  }
  assert.equal(toolCallTone('ok'), 'success');
  assert.equal(toolCallTone('timeout'), 'danger');
  assert.equal(toolCallTone('invalid_arguments'), 'warning');
});

test('tool calls: HTTP status and latency when the call had them', () => {
  const number = (n: number) => new Intl.NumberFormat('en-US').format(n);
  const call = {
    name: 'get_order',
    arguments: {},
    status: 'ok',
    http_status: 200,
    latency_ms: 1240,
  } as const;
  assert.equal(toolCallFacts(en, call, number), 'HTTP 200 · 1,240 ms');
  assert.equal(toolCallFacts(en, { ...call, http_status: null }, number), '1,240 ms');
  assert.equal(
    toolCallFacts(en, { ...call, status: 'invalid_arguments', http_status: null, latency_ms: null }, number),
    '',
  );
});

test('tool call arguments: compact JSON, none when empty, cut when long', () => {
  assert.equal(toolCallArguments({ order_id: '#EX-2026-0311' }), '{"order_id":"#EX-2026-0311"}');
  assert.equal(toolCallArguments({}), null);
  assert.equal(toolCallArguments(undefined), null);
  assert.equal(toolCallArguments(null), null);
  // The model's text when it was not JSON.
  assert.equal(toolCallArguments('{order_id: 3'), '{order_id: 3');
  const long = toolCallArguments({ note: 'x'.repeat(500) }) ?? '';
  assert.equal(long.length, 160);
  assert.ok(long.endsWith('…'));
});

test('context sources read as what the draft was based on', () => {
  const crm = {
    kind: 'crm',
    endpoint: 'ai_CustomerInitialInfo',
    status: 'found',
    customers: 1,
    has_context_text: true,
  } as const;
  assert.equal(
    contextSourceText(en, crm),
    "Customer data and the CRM's notes for the AI (ai_CustomerInitialInfo)",
  );
  assert.equal(
    contextSourceText(en, { ...crm, has_context_text: false }),
    'Customer data from the CRM (ai_CustomerInitialInfo)',
  );
  assert.equal(
    contextSourceText(en, {
      ...crm,
      endpoint: 'sidePanel_CustomerInfo',
      status: 'error',
      error: { code: 'TIMEOUT', message: 'slow' },
    }),
    'The call to the CRM failed (sidePanel_CustomerInfo): TIMEOUT',
  );
  assert.equal(
    contextSourceText(en, { kind: 'messages', origin: 'request', count: 2 }),
    'Messages visible in the chat: 2',
  );
  assert.equal(
    contextSourceText(es, { kind: 'messages', origin: 'conversation', count: 12 }),
    'Mensajes guardados de este chat: 12',
  );
  assert.equal(
    contextSourceText(en, { kind: 'messages', origin: 'none', count: 0 }),
    'No messages of this chat',
  );
  assert.equal(contextSourceText(es, { kind: 'instruction' }), 'Tu indicación');
});
