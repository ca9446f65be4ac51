/** The official MCP SDK client, over real loopback HTTP, in both protocol eras. */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { Client, StreamableHTTPClientTransport, type ClientOptions } from '@modelcontextprotocol/client';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { MODERN_VERSION } from './helpers/mcp.ts';
import { newShopWebhookConfig } from './helpers/webhooks.ts';

let t: TestApp;
let url: URL;
let token: string;

before(async () => {
  t = await startTestApp();
  ({ token } = await t.createShop());
  url = new URL(`${await t.app.listen({ port: 0, host: '127.0.0.1' })}/api/mcp`);
});
after(() => t.close());

async function connect(options: ClientOptions = {}): Promise<Client> {
  const client = new Client({ name: 'parley-test', version: '1.0.0' }, options);
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

const eras: Array<[string, ClientOptions, string]> = [
  ['2025 era (initialize)', {}, 'legacy'],
  ['2026-07-28 era (server/discover)', { versionNegotiation: { mode: { pin: MODERN_VERSION } } }, 'modern'],
];

for (const [label, options, era] of eras) {
  test(`SDK client, ${label}: lists the tools and calls get_webhook_config`, async () => {
    const client = await connect(options);
    try {
      assert.equal(client.getProtocolEra(), era);
      const { tools } = await client.listTools();
      const names = tools.map((tool) => tool.name);
      assert.ok(names.includes('get_webhook_config') && names.includes('configure_webhooks'), names.join());

      const result = await client.callTool({ name: 'get_webhook_config', arguments: {} });
      assert.equal(result.isError, undefined);
      assert.deepEqual(result.structuredContent, newShopWebhookConfig);
    } finally {
      await client.close();
    }
  });
}
