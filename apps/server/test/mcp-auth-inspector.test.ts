/**
 * The MCP Inspector 2.12 CLI (run with tools/node22's Node 22, as a user would run it) against a
 * Parley on loopback: a missing or wrong token must end with Parley's own message and what to do,
 * never in the OAuth flow a 401 sets off ("Interactive OAuth requires a TTY" without a terminal,
 * "Dynamic Client Registration rejected" with one; docs/decisions/mcp-auth-errors.md).
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureNode22Tools, runNode22Tool, type ToolRun } from './helpers/node22.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let url: string;
let token: string;
let home: string;

before(async () => {
  await ensureNode22Tools();
  t = await startTestApp();
  ({ token } = await t.createShop());
  url = `${await t.app.listen({ port: 0, host: '127.0.0.1' })}/api/mcp`;
  // The Inspector keeps a catalog and OAuth state under HOME; each run starts from nothing.
  home = await mkdtemp(join(tmpdir(), 'parley-inspector-'));
});
after(async () => {
  await t.close();
  await rm(home, { recursive: true, force: true });
});

const inspect = (headers: string[], env: Record<string, string> = {}): Promise<ToolRun> =>
  runNode22Tool(
    'inspector',
    [
      '--cli',
      url,
      '--transport',
      'http',
      '--method',
      'tools/list',
      ...headers.flatMap((h) => ['--header', h]),
    ],
    { env: { HOME: home, MCP_INSPECTOR_SECRET_STORE: 'memory', ...env } },
  );

/** The CLI's error envelope: one JSON line on stderr. */
function errorOf(run: ToolRun): { code: string; message: string } {
  const line = run.stderr.split('\n').find((l) => l.startsWith('{"error"'));
  assert.ok(line, `no error envelope on stderr (exit ${run.code}):\n${run.stderr}\n${run.stdout}`);
  return (JSON.parse(line) as { error: { code: string; message: string } }).error;
}

const OAUTH_DANCE = /OAuth requires|Dynamic Client Registration|authorization server|Authorization complete/i;

// Without a terminal (CI), and with one as far as the CLI can tell (MCP_AUTO_OPEN_ENABLED is its
// switch for "a human can complete a browser login"), which is when it would start the flow.
for (const [setting, env] of [
  ['without a terminal', {}],
  ['with interactive OAuth allowed', { MCP_AUTO_OPEN_ENABLED: 'true' }],
] as const) {
  test(`Inspector CLI ${setting}: a wrong token ends with Parley's message`, async () => {
    const run = await inspect(['Authorization: Bearer pk_shop_not-a-real-token-0000000000000000'], env);
    assert.notEqual(run.code, 0);
    const error = errorOf(run);
    assert.match(error.message, /Unauthorized: invalid or missing Bearer token: this token is not valid/);
    assert.match(error.message, /Send \\?"Authorization: Bearer <shop token>\\?".*does not use OAuth/);
    assert.doesNotMatch(run.stderr, OAUTH_DANCE);
  });

  test(`Inspector CLI ${setting}: no token ends with Parley's message`, async () => {
    const run = await inspect([], env);
    assert.notEqual(run.code, 0);
    const error = errorOf(run);
    assert.match(error.message, /Unauthorized: invalid or missing Bearer token: the request has none/);
    assert.doesNotMatch(run.stderr, OAUTH_DANCE);
  });
}

test('Inspector CLI with the shop token lists the tools', async () => {
  const run = await inspect([`Authorization: Bearer ${token}`]);
  assert.equal(run.code, 0, run.stderr);
  const { tools } = JSON.parse(run.stdout) as { tools: Array<{ name: string }> };
  assert.ok(tools.some((tool) => tool.name === 'get_webhook_config'));
});
