/**
 * A Smart Follow-up run survives SIGKILL of the server process. The real server is killed while the
 * model holds one analysis unanswered; restarted on the same data dir, it resumes the run at once
 * (embedded mode: the only process restarted, so the run's lease was a dead process's) and finishes
 * it: every conversation analysed, one follow-up and one followup.detected each, nothing twice.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { FollowupView } from '@parley/contract';
import { callToolOverHttp } from './helpers/mcp.ts';
import { spawnServer, waitUntilListening, type ServerProcess } from './helpers/server-process.ts';
import { startScriptedLlm } from './helpers/scripted-llm.ts';
import { abandonedChat, analysisOf, answerWith, postConversationOverHttp } from './helpers/smart-followup.ts';
import { startWebhookReceiver } from './helpers/webhook-receiver.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-followup-crash-'));
const llm = await startScriptedLlm();
const receiver = await startWebhookReceiver();
let server: ServerProcess | undefined;

after(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  await Promise.all([llm.close(), receiver.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<string> {
  server = spawnServer({
    PARLEY_DATA_DIR: dataDir,
    PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
    PARLEY_LLM_BASE_URL: llm.baseUrl,
    PARLEY_LLM_MODEL: 'scripted-model',
  });
  return waitUntilListening(server);
}

async function callOk(baseUrl: string, token: string, name: string, args: Record<string, unknown>) {
  const result = await callToolOverHttp(baseUrl, token, name, args);
  assert.equal(result.isError, undefined, `${name}: ${JSON.stringify(result)}`);
  return result;
}

const PHONES = ['+34655000001', '+34655000002', '+34655000003'];

test(
  'killed mid-analysis, restarted: the run resumes and finishes, one follow-up per conversation',
  { timeout: 300_000 },
  async () => {
    let baseUrl = await start();
    const banner = await server!.waitForLine((line) => /^Demo shop .* token: pk_shop_\S+$/.test(line));
    const token = banner.slice(banner.lastIndexOf(' ') + 1);
    await callOk(baseUrl, token, 'configure_webhooks', {
      webhook_enabled: true,
      webhook_url: receiver.url(),
      webhook_events: ['followup.detected'],
      confirm: true,
    });
    for (const phone of PHONES) await postConversationOverHttp(baseUrl, token, phone, abandonedChat);

    // The first analysis is held by the model; the process dies while waiting for it.
    llm.script({ ...answerWith(analysisOf()), hold: true });
    llm.setFallback(answerWith(analysisOf()));
    await callOk(baseUrl, token, 'trigger_smart_followup', { confirm: true });
    await llm.waitForRequests(1);
    server!.child.kill('SIGKILL');
    assert.equal((await server!.exited).signal, 'SIGKILL');

    baseUrl = await start();
    // The interrupted analysis is made again, then the two others: each conversation once, to a follow-up.
    await receiver.waitFor(PHONES.length);
    assert.equal(llm.requests.length, 1 + PHONES.length);

    const listed = await fetch(`${baseUrl}/api/followups?status=all`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { followups } = (await listed.json()) as { followups: FollowupView[] };
    assert.deepEqual(followups.map((followup) => followup.phone).sort(), PHONES);
    const detected = receiver.requests.map(
      (request) =>
        (JSON.parse(request.body.toString('utf8')) as { data: { followup_id: string } }).data.followup_id,
    );
    assert.deepEqual(detected.sort(), followups.map((followup) => followup.id).sort());
    const config = await callOk(baseUrl, token, 'get_smart_followup_config', {});
    const lastRun = (config.structuredContent as { last_run: { status: string } }).last_run;
    assert.equal(lastRun.status, 'completed');
  },
);
