/**
 * One Smart Follow-up run per shop at a time across processes sharing one PostgreSQL: two server
 * processes asked to start a run at the same moment start one, and the one run is worked on by one
 * process: each conversation analysed once, one follow-up each.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FollowupView } from '@parley/contract';
import { startFakeCrm, type FakeCrm } from './helpers/fake-crm.ts';
import { callToolOverHttp, textOf } from './helpers/mcp.ts';
import { spawnServer, waitUntilListening, type ServerProcess } from './helpers/server-process.ts';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';
import { abandonedChat, analysisOf, answerWith, postConversationOverHttp } from './helpers/smart-followup.ts';
import { createScratchPostgresDatabase } from './helpers/test-database.ts';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.ts';

const ADMIN = `pk_admin_${randomBytes(16).toString('hex')}`;
let database: { url: string; drop(): Promise<void> };
let llm: ScriptedLlm;
let receiver: WebhookReceiver;
let crm: FakeCrm;
const servers: ServerProcess[] = [];
const dataDirs: string[] = [];

before(async () => {
  [database, llm, receiver, crm] = await Promise.all([
    createScratchPostgresDatabase(),
    startScriptedLlm(),
    startWebhookReceiver(),
    startFakeCrm(),
  ]);
});
after(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  await Promise.all([database.drop(), llm.close(), receiver.close(), crm.close()]);
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function start(secretKey: string): ServerProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-followup-pg-'));
  dataDirs.push(dataDir);
  const server = spawnServer({
    DATABASE_URL: database.url,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_SECRET_KEY: secretKey,
    PARLEY_ADMIN_TOKEN: ADMIN,
    PARLEY_DISABLE_DEMO: 'true',
    PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
    PARLEY_LLM_BASE_URL: llm.baseUrl,
    PARLEY_LLM_MODEL: 'scripted-model',
  });
  servers.push(server);
  return server;
}

const PHONES = ['+34655000001', '+34655000002', '+34655000003', '+34655000004'];

test(
  'two processes triggered at once start one run, and it analyses each conversation once',
  { timeout: 300_000 },
  async () => {
    const secretKey = randomBytes(32).toString('base64');
    const [urlA, urlB] = await Promise.all([
      waitUntilListening(start(secretKey)),
      waitUntilListening(start(secretKey)),
    ]);
    const created = await fetch(`${urlA}/api/admin/shops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Shared' }),
    });
    const { token } = (await created.json()) as { token: string };
    const configured = await callToolOverHttp(urlA, token, 'configure_webhooks', {
      webhook_enabled: true,
      webhook_url: receiver.url(),
      webhook_events: ['followup.detected'],
      confirm: true,
    });
    assert.equal(configured.isError, undefined);
    crm.answer('/crm/verify', { json: { found: false, converted: false, orders: [] } });
    const endpoint = await callToolOverHttp(urlA, token, 'update_crm_endpoints', {
      add_crm_endpoint: { type: 'verify_conversion', url: crm.url('/crm/verify'), method: 'GET' },
      confirm: true,
    });
    assert.equal(endpoint.isError, undefined);
    for (const phone of PHONES) await postConversationOverHttp(urlB, token, phone, abandonedChat);
    // The first analysis is held until both triggers have answered, so the run one of them started is
    // still in progress when the other arrives, however slowly either process answers.
    llm.script({ ...answerWith(analysisOf()), hold: true });
    llm.setFallback(answerWith(analysisOf()));

    const triggers = await Promise.all(
      [urlA, urlB].map((url) => callToolOverHttp(url, token, 'trigger_smart_followup', { confirm: true })),
    );
    const refused = triggers.filter((result) => result.isError === true);
    assert.equal(refused.length, 1, JSON.stringify(triggers));
    assert.match(textOf(refused[0]!), /already in progress/);
    await llm.waitForRequests(1);
    llm.release();

    await receiver.waitFor(PHONES.length);
    assert.equal(llm.requests.length, PHONES.length, 'each conversation analysed once, by one process');
    const listed = await fetch(`${urlA}/api/followups?status=all`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { followups } = (await listed.json()) as { followups: FollowupView[] };
    assert.deepEqual(followups.map((followup) => followup.phone).sort(), PHONES);
  },
);
