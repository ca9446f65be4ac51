/**
 * Smart Follow-up tests through the public surface: conversations posted to the intake API, the
 * MCP tools, the agents' REST API and a worker the test drives (tick, drain) while it moves the
 * manual clock. The model is a scripted OpenAI-compatible server and the CRM a fake one, both real
 * HTTP servers on loopback; so is the webhook receiver.
 */
import { strict as assert } from 'node:assert';
import type { FollowupAnalysis, FollowupView } from '@parley/contract';
import { verifyWebhook } from '@parley/webhooks';
import { crmTools } from '../../src/features/crm/index.ts';
import type { Worker } from '../../src/worker/index.ts';
import { directTools } from './direct-tools.ts';
import { startFakeCrm, type FakeCrm } from './fake-crm.ts';
import { startScriptedLlm, type ScriptedLlm } from './scripted-llm.ts';
import { startTestApp, type TestApp } from './test-app.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';
import { callError, callOk, configureWebhook, createTestWorker } from './webhooks.ts';

export interface FollowupWorld {
  t: TestApp;
  llm: ScriptedLlm;
  crm: FakeCrm;
  receiver: WebhookReceiver;
  worker: Worker;
  close(): Promise<void>;
}

export const WEBHOOK_SECRET = 'followup-webhook-secret-3c1d';

export async function startFollowupWorld(env: Record<string, string> = {}): Promise<FollowupWorld> {
  const [llm, crm, receiver] = await Promise.all([
    startScriptedLlm(),
    startFakeCrm(),
    startWebhookReceiver(),
  ]);
  const t = await startTestApp({
    PARLEY_LLM_BASE_URL: llm.baseUrl,
    PARLEY_LLM_MODEL: 'scripted-model',
    PARLEY_MCP_RATE_LIMIT: '100000',
    ...env,
  });
  return {
    t,
    llm,
    crm,
    receiver,
    worker: createTestWorker(t),
    async close() {
      await t.close();
      await Promise.all([llm.close(), crm.close(), receiver.close()]);
    },
  };
}

/**
 * Sets the clock and gives the world a fresh worker: the worker's timed jobs (the reply poll) count
 * from when it was made, so a test that moves the clock back needs one of its own.
 */
export function setClock(world: FollowupWorld, date: Date): void {
  world.t.clock.set(date);
  world.worker = createTestWorker(world.t);
}

export interface FollowupShop {
  shopId: string;
  token: string;
}

/**
 * A shop with a verify_conversion endpoint on the fake CRM (answering "no purchase" unless a test
 * scripts it), its webhook subscribed to every event, and Smart Follow-up saved with `settings`:
 * off by default, so that a test moving the clock past run_hour does not start other shops' daily
 * runs (a trigger runs it anyway).
 */
export async function followupShop(
  world: FollowupWorld,
  settings: Record<string, unknown> = {},
  options: { verifyPath?: string } = {},
): Promise<FollowupShop> {
  const shop = await world.t.createShop();
  const verifyPath = options.verifyPath ?? `/crm/verify/${shop.shopId}`;
  world.crm.answer(verifyPath, { json: { found: true, converted: false, orders: [] } });
  await directTools(crmTools, world.t.deps, shop.shopId).apply('update_crm_endpoints', {
    add_crm_endpoint: { type: 'verify_conversion', url: world.crm.url(verifyPath), method: 'GET' },
  });
  await configureWebhook(world.t, shop.token, {
    webhook_url: world.receiver.url(),
    webhook_secret: WEBHOOK_SECRET,
  });
  await callOk(world.t, shop.token, 'save_smart_followup_config', {
    enabled: false,
    ...settings,
    confirm: true,
  });
  return shop;
}

export interface TestMessage {
  id: string;
  direction: 'in' | 'out';
  text: string;
  /** Minutes before the test clock's now. */
  minutesAgo: number;
}

export async function postConversation(
  world: FollowupWorld,
  token: string,
  chatPhone: string,
  messages: readonly TestMessage[],
  chatName?: string,
): Promise<void> {
  const now = world.t.clock.now().getTime();
  const response = await world.t.app.inject({
    method: 'POST',
    url: '/api/conversations/messages',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      chat_phone: chatPhone,
      ...(chatName === undefined ? {} : { chat_name: chatName }),
      messages: messages.map((message) => ({
        id: message.id,
        direction: message.direction,
        text: message.text,
        sent_at: new Date(now - message.minutesAgo * 60_000).toISOString(),
      })),
    },
  });
  assert.equal(response.statusCode, 200, response.body);
}

/** A customer who asked about a product and went quiet. */
export const abandonedChat: TestMessage[] = [
  { id: 'm1', direction: 'in', text: 'Hola, ¿tenéis las Runner Pro en la talla 42?', minutesAgo: 240 },
  { id: 'm2', direction: 'out', text: 'Sí, las tenemos a 89,90 €. ¿Te las reservo?', minutesAgo: 235 },
  { id: 'm3', direction: 'in', text: 'Uf, el envío a Canarias sale caro... lo pienso', minutesAgo: 230 },
];

export const analysisOf = (overrides: Partial<FollowupAnalysis> = {}): FollowupAnalysis => ({
  intent_level: 'high',
  outcome: 'abandoned',
  product_mentioned: 'Runner Pro talla 42',
  customer_objection: 'gastos de envío a Canarias',
  sentiment: 'neutral',
  opt_out_requested: false,
  evidence_message_ids: ['m1', 'm3'],
  suggested_message:
    '¡Hola! Seguimos teniendo tus Runner Pro en la 42. ¿Te cuento las opciones de envío a Canarias?',
  reason: 'Asked for a size in stock and hesitated over shipping cost.',
  ...overrides,
});

/** A scripted model answer holding the analysis as its content. */
export const answerWith = (analysis: unknown, usage = { prompt_tokens: 900, completion_tokens: 100 }) => ({
  text: typeof analysis === 'string' ? analysis : JSON.stringify(analysis),
  usage,
});

export async function trigger(world: FollowupWorld, token: string, args: Record<string, unknown> = {}) {
  return callOk(world.t, token, 'trigger_smart_followup', { ...args, confirm: true });
}

export const triggerError = (world: FollowupWorld, token: string, args: Record<string, unknown> = {}) =>
  callError(world.t, token, 'trigger_smart_followup', { ...args, confirm: true });

export interface LogEntry {
  phone: string;
  conversation_hash: string;
  state: string;
  action_taken: string;
  skip_reason: string | null;
  intent_level: string | null;
  detail: string | null;
  credits: number;
  followup: {
    id: string;
    status: string;
    attempt_number: number;
    replied_at: string | null;
    converted_at: string | null;
  } | null;
}

export async function logsOf(world: FollowupWorld, token: string, args: Record<string, unknown> = {}) {
  const result = await callOk(world.t, token, 'get_smart_followup_logs', { period: 'all_time', ...args });
  return result.structuredContent as unknown as { entries: LogEntry[]; total: number };
}

/** The log entry of a phone (its newest). */
export async function logOf(world: FollowupWorld, token: string, phone: string): Promise<LogEntry> {
  const entry = (await logsOf(world, token)).entries.find((candidate) => candidate.phone === phone);
  assert.ok(entry !== undefined, `no log entry for ${phone}`);
  return entry;
}

export async function listFollowups(world: FollowupWorld, token: string, query = 'status=all') {
  const response = await world.t.app.inject({
    method: 'GET',
    url: `/api/followups?${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { followups: FollowupView[] }).followups;
}

export async function onlyFollowup(
  world: FollowupWorld,
  token: string,
  phone: string,
): Promise<FollowupView> {
  const found = await listFollowups(world, token, `status=all&phone=${encodeURIComponent(phone)}`);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0] as FollowupView;
}

/** The receiver's deliveries of one event for one follow-up, each checked against both signatures. */
export function deliveriesOf(world: FollowupWorld, event: string, followupId: string): unknown[] {
  return world.receiver.requests
    .filter((request) => request.header('x-webhook-event') === event)
    .filter((request) => {
      const { data } = JSON.parse(request.body.toString('utf8')) as { data: { followup_id: string } };
      return data.followup_id === followupId;
    })
    .map((request) => {
      for (const scheme of ['standard', 'wazion'] as const) {
        const verified = verifyWebhook({
          headers: request.headers,
          body: request.body,
          secret: WEBHOOK_SECRET,
          schemes: [scheme],
          now: world.t.clock.now().getTime(),
        });
        assert.equal(verified.ok, true, `${event} ${scheme}: ${JSON.stringify(verified)}`);
      }
      return (JSON.parse(request.body.toString('utf8')) as { data: unknown }).data;
    });
}

/**
 * The customer (or the business) writes again, a minute passes, and a run is triggered with the
 * model scripted to answer `answers`: how a later run meets a conversation it has seen before.
 */
export async function writeAndRunAgain(
  world: FollowupWorld,
  shop: FollowupShop,
  phone: string,
  messages: readonly TestMessage[],
  ...answers: Array<Parameters<ScriptedLlm['script']>[0]>
): Promise<void> {
  await postConversation(world, shop.token, phone, messages);
  world.t.clock.advance(60_000);
  world.llm.reset();
  world.llm.script(...answers);
  await trigger(world, shop.token);
  await world.worker.drain();
}

/** Posts a conversation to a server process, its messages timed `minutesAgo` before the real now. */
export async function postConversationOverHttp(
  baseUrl: string,
  token: string,
  chatPhone: string,
  messages: readonly TestMessage[],
): Promise<void> {
  const now = Date.now();
  const response = await fetch(`${baseUrl}/api/conversations/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      chat_phone: chatPhone,
      messages: messages.map((message) => ({
        id: message.id,
        direction: message.direction,
        text: message.text,
        sent_at: new Date(now - message.minutesAgo * 60_000).toISOString(),
      })),
    }),
  });
  assert.equal(response.status, 200, await response.text());
}
