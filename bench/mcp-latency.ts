/**
 * MCP tools/call latency against the in-run baseline of GET /health: the same process, database
 * and loopback HTTP, so the ratio says what the MCP layer (SDK, auth, tool, database read) costs.
 * Run from the repo root: node --import tsx bench/mcp-latency.ts
 */
import { startParley } from './lib/parley.ts';
import { measureSequential, ms } from './lib/stats.ts';

const ITERATIONS = 1_000;
const measure = (send: () => Promise<void>) =>
  measureSequential(send, { iterations: ITERATIONS, warmup: 100 });

const parley = await startParley('pglite', {
  env: { PARLEY_DISABLE_DEMO: 'false', PARLEY_MCP_RATE_LIMIT: '1000000' },
});
const { runtime } = parley;
try {
  const token = runtime.firstStart?.demoShop?.token;
  if (token === undefined) throw new Error('the fresh data dir should have created the demo shop');
  const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  let id = 0;

  const health = await measure(async () => {
    const response = await fetch(`${base}/health`);
    if (response.status !== 200) throw new Error(`/health answered ${response.status}`);
    await response.arrayBuffer();
  });
  const toolCall = await measure(async () => {
    const response = await fetch(`${base}/api/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'mcp-protocol-version': '2025-06-18',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: ++id,
        method: 'tools/call',
        params: { name: 'get_webhook_config', arguments: {} },
      }),
    });
    const body = (await response.json()) as { result?: { isError?: boolean } };
    if (response.status !== 200 || body.result === undefined || body.result.isError === true) {
      throw new Error(`tools/call answered ${response.status}: ${JSON.stringify(body)}`);
    }
  });

  const lines = [
    `MCP latency, ${ITERATIONS} sequential requests each over loopback HTTP (${runtime.deps.databaseKind})`,
    `GET /health (baseline)            p50 ${ms(health.p50)}  p99 ${ms(health.p99)}`,
    `tools/call get_webhook_config     p50 ${ms(toolCall.p50)}  p99 ${ms(toolCall.p99)}`,
    `ratio tools/call / health         p50 ${(toolCall.p50 / health.p50).toFixed(1)}x  p99 ${(toolCall.p99 / health.p99).toFixed(1)}x`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await parley.close();
}
