/**
 * A real Parley in-process on 127.0.0.1 for the console's browser tests: the same runtime `npm start`
 * wires, on a fresh embedded database, with a clock the test moves (session expiry) and a model, a
 * CRM and a webhook receiver on loopback (the server's own test fakes).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/src/config.ts';
import { createManualClock } from '../../../server/src/lib/clock.ts';
import { startRuntime } from '../../../server/src/runtime.ts';
import { startFakeCrm, type FakeCrm } from '../../../server/test/helpers/fake-crm.ts';
import { startScriptedLlm, type ScriptedLlm } from '../../../server/test/helpers/scripted-llm.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../server/test/helpers/webhook-receiver.ts';

export interface ParleyForTest {
  url: string;
  adminToken: string;
  shopToken: string;
  shopId: string;
  clock: ReturnType<typeof createManualClock>;
  crm: FakeCrm;
  receiver: WebhookReceiver;
  llm: ScriptedLlm;
  /** Calls the HTTP API with a bearer token; any status is returned with the parsed body, typed by the caller. */
  api<T = unknown>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** Calls an MCP tool with the shop token and returns its structured result (fails on isError). */
  tool<T>(name: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function startParley(): Promise<ParleyForTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-console-e2e-'));
  const adminToken = `pk_admin_${randomBytes(16).toString('hex')}`;
  const clock = createManualClock(new Date());
  const [crm, receiver, llm] = await Promise.all([
    startFakeCrm(),
    startWebhookReceiver(),
    startScriptedLlm(),
  ]);
  const runtime = await startRuntime(
    loadConfig({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_TOKEN: adminToken,
      PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
      PARLEY_LOG_LEVEL: 'silent',
      PARLEY_DISABLE_DEMO: 'true',
      PARLEY_LLM_BASE_URL: llm.baseUrl,
      PARLEY_LLM_MODEL: 'scripted-model',
      PARLEY_MCP_RATE_LIMIT: '100000',
    }),
    { clock, worker: { random: () => 0 } },
  );
  const closeAll = async () => {
    await runtime.close();
    receiver.release();
    await Promise.all([crm.close(), receiver.close(), llm.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await runtime.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
    const api = async <T>(token: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'mcp-protocol-version': '2025-06-18',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
    };
    const created = await api<{ shop: { id: string }; token: string }>(
      adminToken,
      'POST',
      '/api/admin/shops',
      {
        name: 'Tienda Runner',
        country: 'ES',
      },
    );
    if (created.status !== 201) throw new Error(`creating the shop answered ${created.status}`);
    const shopToken = created.body.token;
    let id = 0;
    return {
      url,
      adminToken,
      shopToken,
      shopId: created.body.shop.id,
      clock,
      crm,
      receiver,
      llm,
      api,
      async tool<T>(name: string, args: Record<string, unknown> = {}) {
        const answer = await api<{ result?: { isError?: boolean; structuredContent: T } }>(
          shopToken,
          'POST',
          '/api/mcp',
          {
            jsonrpc: '2.0',
            id: ++id,
            method: 'tools/call',
            params: { name, arguments: args },
          },
        );
        const result = answer.body.result;
        if (result === undefined || result.isError === true)
          throw new Error(`${name} failed: ${JSON.stringify(answer.body)}`);
        return result.structuredContent;
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
