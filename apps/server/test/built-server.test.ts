// `npm start` runs the server's bundle (scripts/build.mjs), not its TypeScript. Parley supports Node 20.19
// and later, and this is where that is tested on the three lines it names (README.md): the machine's Node
// 20, and Node 22 and 24 from the npm registry (tools/node22, tools/node24). On each, `npm start`'s script
// starts on a new data dir, finds its migrations and its console in dist/, prints the first-start tokens,
// answers the side panel's lookup (through the demo CRM) and an MCP tools/list with the demo shop's token,
// and stops on SIGTERM. The bundle is rebuilt when its sources are newer than it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildServer, serverBuildIsStale } from '../scripts/build.mjs';
import { postMcpOverHttp } from './helpers/mcp.ts';
import { ensureNode22Tools, node22 } from './helpers/node22.ts';
import { ensureNode24, node24 } from './helpers/node24.ts';
import { spawnServer, waitUntilListening } from './helpers/server-process.ts';

const inputsFile = new URL('../dist/build-inputs.json', import.meta.url).pathname;

before(async () => {
  await buildServer();
});

const LUCIA = '+34655123987';

async function npmStartServes(nodePath: string, major: number) {
  const version = spawnSync(nodePath, ['--version'], { encoding: 'utf8' }).stdout.trim();
  assert.match(version, new RegExp(`^v${major}\\.`), nodePath);

  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bundle-'));
  const server = spawnServer(
    { PARLEY_DATA_DIR: dataDir, PARLEY_SECRET_KEY: randomBytes(32).toString('base64') },
    { npmStart: true, nodePath },
  );
  try {
    const baseUrl = await waitUntilListening(server);
    await server.waitForLine((line) => line.startsWith('====='));
    assert.equal(
      server.stdout.some((line) => line.startsWith('Building the server')),
      false,
      'the bundle before() built is up to date',
    );
    const health = await fetch(`${baseUrl}/health`);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite', version: '0.1.0' });
    const page = await fetch(`${baseUrl}/`);
    assert.equal(page.status, 200, 'the console is served from its build');

    const tokenLine = server.stdout.find((line) => line.startsWith('Demo shop "Demo shop"'));
    const token = /token: (pk_shop_\S+)$/.exec(tokenLine ?? '')?.[1];
    assert.ok(
      token !== undefined,
      `the first-start banner has the demo shop's token:\n${server.stdout.join('\n')}`,
    );

    const lookup = await fetch(`${baseUrl}/api/panel/customer?phone=${encodeURIComponent(LUCIA)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(lookup.status, 200);
    const panel = (await lookup.json()) as { status: string; customers: Array<{ name: string }> };
    assert.equal(panel.status, 'found', JSON.stringify(panel));
    assert.equal(panel.customers[0]?.name, 'Lucía Fernández Ortega');

    const tools = await postMcpOverHttp(baseUrl, token, 'tools/list');
    assert.equal(tools.status, 200, tools.text);
    const names = ((tools.json.result?.tools ?? []) as Array<{ name: string }>).map((tool) => tool.name);
    assert.ok(names.includes('get_crm_endpoints'), names.join(', '));

    server.child.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr.join('\n'));
  } finally {
    server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the bundle npm start runs', () => {
  test('is stale once a source is newer than the last build', () => {
    assert.equal(
      serverBuildIsStale(),
      false,
      'just built (checked first: an edit made meanwhile would make it stale)',
    );
    const { atime, mtime } = statSync(inputsFile);
    const longAgo = new Date('2020-01-01T00:00:00Z');
    utimesSync(inputsFile, longAgo, longAgo);
    try {
      assert.equal(serverBuildIsStale(), true);
    } finally {
      // Up to date again, so the starts below run this build instead of rebuilding it.
      utimesSync(inputsFile, atime, mtime);
    }
  });

  test('starts on a new data dir and serves, on Node 20', () => npmStartServes(process.execPath, 20));

  test('and on Node 22', async () => {
    await ensureNode22Tools();
    await npmStartServes(node22, 22);
  });

  test('and on Node 24', async () => {
    await ensureNode24();
    await npmStartServes(node24, 24);
  });
});
