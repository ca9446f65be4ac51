/**
 * A real Parley in-process on 127.0.0.1 (the same runtime `npm start` wires, on a fresh embedded
 * database), a shop whose CRM endpoints point to the demo CRM on loopback, and an agent token —
 * set up through the public HTTP API and MCP, as an admin would. A scenario that needs a shop of its
 * own (its own credits, conversations, follow-ups) adds one set up the same way.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/src/config.ts';
import { startRuntime } from '../../../server/src/runtime.ts';
import { demoCrmEndpoints } from '../../../../examples/demo-crm/endpoints.ts';
import { startDemoCrm, type DemoCrm } from '../../../../examples/demo-crm/server.ts';

export interface ShopForTest {
  shopToken: string;
  agentToken: string;
  /** Calls one of the shop's MCP tools as its admin would (confirmed tools with `confirm: true`). */
  mcp(tool: string, args: Record<string, unknown>): Promise<unknown>;
  /** Calls the HTTP API with the shop token; any status is returned, with the parsed JSON body. */
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

export interface ParleyForTest extends ShopForTest {
  url: string;
  /** The demo CRM's base URL (no trailing slash). */
  crmUrl: string;
  /** Path and query of every request the CRM answered, in order. */
  crmRequests: string[];
  /** The CRM's port, which stays the same when it is stopped and started again. */
  crmPort: number;
  stopCrm(): Promise<void>;
  startCrm(): Promise<void>;
  addShop(name: string): Promise<ShopForTest>;
  close(): Promise<void>;
}

async function call(url: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** A shop with the demo CRM's endpoints and an agent, as an admin sets one up. */
async function setUpShop(
  url: string,
  adminToken: string,
  name: string,
  crmUrl: string,
): Promise<ShopForTest> {
  const shop = (await call(`${url}/api/admin/shops`, adminToken, { name, country: 'ES' })) as {
    token: string;
  };
  let id = 0;
  const mcp = async (tool: string, args: Record<string, unknown>) => {
    const answer = await call(`${url}/api/mcp`, shop.token, {
      jsonrpc: '2.0',
      id: ++id,
      method: 'tools/call',
      params: { name: tool, arguments: args },
    });
    const result = answer.result as { isError?: boolean } | undefined;
    if (result === undefined || result.isError === true)
      throw new Error(`${tool} failed: ${JSON.stringify(answer)}`);
    return result;
  };
  for (const endpoint of demoCrmEndpoints(crmUrl)) {
    await mcp('update_crm_endpoints', { add_crm_endpoint: endpoint, confirm: true });
  }
  const agent = (await call(`${url}/api/agents`, shop.token, { nickname: 'ana', name: 'Ana García' })) as {
    token: string;
  };
  return {
    shopToken: shop.token,
    agentToken: agent.token,
    mcp,
    async api(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${shop.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    },
  };
}

export async function startParley(): Promise<ParleyForTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-extension-e2e-'));
  const crmRequests: string[] = [];
  const startCrmOn = (port: number) =>
    startDemoCrm({ port, host: '127.0.0.1', onRequest: ({ target }) => crmRequests.push(target) });
  let crm: DemoCrm | null = await startCrmOn(0);
  const crmPort = Number(new URL(crm.url).port);
  const adminToken = `pk_admin_${randomBytes(16).toString('hex')}`;
  const runtime = await startRuntime(
    loadConfig({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_TOKEN: adminToken,
      PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
      PARLEY_LOG_LEVEL: 'silent',
      PARLEY_DISABLE_DEMO: 'true',
    }),
  );
  try {
    await runtime.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
    const crmUrl = crm.url;
    const shop = await setUpShop(url, adminToken, 'Tienda Runner', crmUrl);
    return {
      ...shop,
      url,
      crmUrl,
      crmRequests,
      crmPort,
      async stopCrm() {
        await crm?.close();
        crm = null;
      },
      async startCrm() {
        crm = await startCrmOn(crmPort);
      },
      addShop: (name) => setUpShop(url, adminToken, name, crmUrl),
      async close() {
        await crm?.close();
        await runtime.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await crm.close();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
