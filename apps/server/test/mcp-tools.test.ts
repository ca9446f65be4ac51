/**
 * The MCP layer's contract with any tool, through a Fastify app serving test tools: result
 * shaping and truncation, AppError → isError, a fault → -32603 (logged, counted), and what
 * tools/list shows for Parley's real tools.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../src/lib/errors.ts';
import { createLogger } from '../src/lib/logger.ts';
import { registerMcpRoutes } from '../src/mcp/index.ts';
import { defineTool } from '../src/features/tool.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { callTool, postMcp, textOf } from './helpers/mcp.ts';

const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

const testTools = [
  defineTool({
    kind: 'plain',
    name: 'big_result',
    title: 'Big result',
    description: 'Returns `size` characters. Changes nothing.',
    annotations,
    input: z.strictObject({ size: z.number().int() }),
    run: async ({ size }) => ({ items: 'x'.repeat(size) }),
  }),
  defineTool({
    kind: 'plain',
    name: 'refuses',
    title: 'Refuses',
    description: 'Always fails with an AppError. Changes nothing.',
    annotations,
    input: z.strictObject({}),
    run: async () => {
      throw new AppError('UPSTREAM_FAILED', 'The CRM answered 503; try again in a minute.');
    },
  }),
  defineTool({
    kind: 'plain',
    name: 'crashes',
    title: 'Crashes',
    description: 'Always faults. Changes nothing.',
    annotations,
    input: z.strictObject({}),
    run: async () => {
      throw new TypeError('cannot read properties of undefined (internal detail)');
    },
  }),
];

let t: TestApp;
let app: FastifyInstance;
let token: string;
const logLines: string[] = [];

before(async () => {
  t = await startTestApp();
  ({ token } = await t.createShop());
  const logger = createLogger('error', { write: (line: string) => void logLines.push(line) });
  app = Fastify();
  await registerMcpRoutes(app, { ...t.deps, logger }, { tools: testTools });
  await app.ready();
});
after(async () => {
  await app.close();
  await t.close();
});

const outcomes = async () =>
  Object.fromEntries(
    (await t.deps.metrics.mcpToolCalls.get()).values.map((v) => [
      `${v.labels.tool}/${v.labels.outcome}`,
      v.value,
    ]),
  );

test('a result is structuredContent plus the same JSON as one text item', async () => {
  const result = await callTool(app, token, 'big_result', { size: 3 });
  assert.deepEqual(result.structuredContent, { items: 'xxx' });
  assert.equal(textOf(result), '{"items":"xxx"}');
});

test('a text over 50,000 characters is cut and ends with a notice saying how to narrow the request', async () => {
  const atLimit = await callTool(app, token, 'big_result', { size: 50_000 - '{"items":""}'.length });
  assert.equal(textOf(atLimit).length, 50_000);
  assert.doesNotMatch(textOf(atLimit), /Truncated/);

  const over = await callTool(app, token, 'big_result', { size: 60_000 });
  const text = textOf(over);
  assert.ok(text.length <= 50_000, String(text.length));
  assert.ok(text.startsWith('{"items":"xxxx'));
  assert.match(
    text,
    /\[Truncated: this text has 60012 characters and only the first \d+ are shown\. Narrow the request .*\]$/,
  );
  assert.equal((over.structuredContent as { items: string }).items.length, 60_000);
});

test('an AppError is an isError result with one text item "Error: <message>"', async () => {
  const result = await callTool(app, token, 'refuses');
  assert.equal(result.isError, true);
  assert.equal(textOf(result), 'Error: The CRM answered 503; try again in a minute.');
});

test('any other exception is a JSON-RPC -32603 fault: logged, counted, internals not shown', async () => {
  const reply = await postMcp(
    app,
    { jsonrpc: '2.0', id: 'f1', method: 'tools/call', params: { name: 'crashes', arguments: {} } },
    { token },
  );
  assert.equal(reply.json.error?.code, -32603);
  assert.equal(reply.json.id, 'f1');
  assert.doesNotMatch(reply.text, /internal detail/);
  assert.ok(logLines.some((line) => line.includes('MCP tool failed') && line.includes('internal detail')));
  assert.equal((await outcomes())['crashes/fault'], 1);
});

test('every call is counted by tool and outcome', async () => {
  const before = await outcomes();
  await callTool(app, token, 'big_result', { size: 1 });
  await callTool(app, token, 'refuses');
  await callTool(app, token, 'big_result', { size: 'one' });
  const now = await outcomes();
  assert.equal((now['big_result/ok'] ?? 0) - (before['big_result/ok'] ?? 0), 1);
  assert.equal((now['refuses/tool_error'] ?? 0) - (before['refuses/tool_error'] ?? 0), 1);
  assert.equal((now['big_result/tool_error'] ?? 0) - (before['big_result/tool_error'] ?? 0), 1);
});

test('tools/list shows name, title, description, inputSchema and annotations; confirmed tools take confirm', async () => {
  const reply = await postMcp(t.app, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { token });
  const tools = reply.json.result?.tools as Array<{
    name: string;
    title: string;
    description: string;
    inputSchema: {
      type: string;
      properties: Record<string, unknown>;
      required?: string[];
      additionalProperties: boolean;
    };
    annotations: Record<string, unknown>;
  }>;
  for (const tool of tools) {
    assert.ok(tool.title.length > 0 && tool.description.length > 0, tool.name);
    assert.equal(tool.inputSchema.type, 'object');
    assert.equal(tool.inputSchema.additionalProperties, false, tool.name);
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) {
      assert.equal(typeof tool.annotations[hint], 'boolean', `${tool.name} ${hint}`);
    }
  }
  const configure = tools.find((tool) => tool.name === 'configure_webhooks');
  assert.deepEqual(Object.keys(configure?.inputSchema.properties ?? {}), [
    'webhook_enabled',
    'webhook_url',
    'webhook_secret',
    'webhook_events',
    'webhook_timeout_ms',
    'confirm',
    'confirmation_token',
  ]);
  assert.deepEqual(configure?.inputSchema.required, ['webhook_enabled']);
  assert.equal(configure?.annotations.readOnlyHint, false);
  const read = tools.find((tool) => tool.name === 'get_webhook_config');
  assert.deepEqual(read?.inputSchema.properties, {});
  assert.equal(read?.annotations.readOnlyHint, true);
});
