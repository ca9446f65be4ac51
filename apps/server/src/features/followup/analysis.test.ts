// The analysis against a real OpenAI-compatible server on loopback (the scripted model): what a
// provider failure and a model that does not answer in time become.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { defaultSmartFollowupSettings } from '@parley/contract';
import { createLlmProvider, type LlmProvider } from '../../lib/llm/index.ts';
import { createOutboundHttp } from '../../lib/outbound/index.ts';
import { startScriptedLlm, type ScriptedLlm } from '../../../test/helpers/scripted-llm.ts';
import { analyseConversation, type AnalysisInput } from './analysis.ts';

let llm: ScriptedLlm;
let provider: LlmProvider;
const outbound = createOutboundHttp({ allow: [] });
before(async () => {
  llm = await startScriptedLlm();
  provider = createLlmProvider({ outbound });
});
after(async () => {
  llm.release();
  await Promise.all([llm.close(), provider.close(), outbound.close()]);
});

const input = (overrides: Partial<AnalysisInput> = {}): AnalysisInput => ({
  llm: provider,
  target: { origin: 'server', baseUrl: llm.baseUrl, apiKey: undefined, model: 'scripted' },
  shop: { name: 'Runner', locale: 'es-ES' },
  settings: defaultSmartFollowupSettings,
  messages: [{ id: 'm1', direction: 'in', text: '¿Tenéis la 42?', sentAt: new Date('2026-03-02T09:00:00Z') }],
  now: new Date('2026-03-02T10:00:00Z'),
  ...overrides,
});

test('a model that does not answer within the time is model_unavailable, not retried', async () => {
  llm.reset();
  llm.script({ text: '{}', hold: true });
  const result = await analyseConversation(input({ timeoutMs: 200 }));
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.reason, 'model_unavailable');
  assert.match(!result.ok ? result.message : '', /did not answer within 200 ms/);
  assert.equal(llm.requests.length, 1);
  llm.release();
});

test('an HTTP error is model_unavailable with the API’s own message', async () => {
  llm.reset();
  llm.script({ status: 429, body: { error: { message: 'Rate limit reached for requests' } } });
  const result = await analyseConversation(input());
  assert.equal(!result.ok && result.reason, 'model_unavailable');
  assert.match(!result.ok ? result.message : '', /HTTP 429: Rate limit reached/);
});

test('evidence ids the conversation does not have are dropped; a fenced JSON answer is read', async () => {
  llm.reset();
  const analysis = {
    intent_level: 'medium',
    outcome: 'abandoned',
    product_mentioned: 'talla 42',
    customer_objection: null,
    sentiment: 'neutral',
    opt_out_requested: false,
    evidence_message_ids: ['m1', 'm99'],
    suggested_message: '¡Hola! Sí, la tenemos.',
    reason: 'Asked for a size.',
  };
  llm.script({ text: `\`\`\`json\n${JSON.stringify(analysis)}\n\`\`\`` });
  const result = await analyseConversation(input());
  assert.ok(result.ok);
  assert.deepEqual(result.analysis.evidence_message_ids, ['m1']);
  assert.equal(result.usage.total_tokens, 15);
});

test('an answer with a NUL in a text is invalid (asked again, then model_output_invalid), never stored', async () => {
  llm.reset();
  const answer = JSON.stringify({
    intent_level: 'high',
    outcome: 'abandoned',
    product_mentioned: null,
    customer_objection: null,
    sentiment: 'neutral',
    opt_out_requested: false,
    evidence_message_ids: ['m1'],
    suggested_message: 'Hola\u0000',
    reason: 'Asked for a size.',
  });
  llm.script({ text: answer }, { text: answer });
  const result = await analyseConversation(input());
  assert.equal(!result.ok && result.reason, 'model_output_invalid');
  assert.match(!result.ok ? result.message : '', /suggested_message/);
  assert.equal(llm.requests.length, 2);
});
