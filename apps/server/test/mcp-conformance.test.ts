/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, every server scenario,
 * run with tools/node22's Node 22) against Parley on loopback. The suite sends no credentials,
 * so a loopback proxy adds the shop token and passes everything else (Host and Origin included)
 * through unchanged. Checks that cannot apply to a stateless tools-only server are listed, with
 * the reason, in mcp-conformance.baseline.json; the test fails when any other check fails and
 * when a listed check no longer fails (the list would then hide a regression later).
 */
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureNode22Tools, runNode22Tool } from './helpers/node22.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

interface Baseline {
  notApplicable: Array<{ reason: string; checks: string[] }>;
}

let t: TestApp;
let proxy: Server;
let proxyUrl: string;
let work: string;

before(async () => {
  await ensureNode22Tools();
  // The suite sends a few hundred requests in seconds; the per-token limit is not under test here.
  t = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '100000' });
  const { token } = await t.createShop();
  const target = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
  proxy = createServer((incoming, outgoing) => {
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, authorization: `Bearer ${token}` },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => outgoing.writeHead(502).end(String(error)));
    incoming.pipe(forwarded);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/mcp`;
  work = await mkdtemp(join(tmpdir(), 'parley-conformance-'));
});
after(async () => {
  proxy.close();
  await t.close();
  await rm(work, { recursive: true, force: true });
});

/** `scenario:check-id` of every check that failed or warned, read from the suite's result files. */
async function failingChecks(
  outputDir: string,
): Promise<{ failing: string[]; scenarios: Map<string, number> }> {
  const failing: string[] = [];
  const scenarios = new Map<string, number>();
  for (const dir of await readdir(outputDir)) {
    const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    const checks = JSON.parse(await readFile(join(outputDir, dir, 'checks.json'), 'utf8')) as Array<{
      id: string;
      status: string;
    }>;
    scenarios.set(scenario, checks.filter((check) => check.status === 'SUCCESS').length);
    for (const check of checks) {
      if (check.status === 'FAILURE' || check.status === 'WARNING') failing.push(`${scenario}:${check.id}`);
    }
  }
  return { failing: failing.sort(), scenarios };
}

test('the MCP conformance suite: every check that applies passes, the baseline lists exactly the rest', async () => {
  const baseline = JSON.parse(
    await readFile(new URL('mcp-conformance.baseline.json', import.meta.url), 'utf8'),
  ) as Baseline;
  const expected = baseline.notApplicable.flatMap((group) => {
    assert.ok(group.reason.length > 20, `a reason for ${group.checks.join(', ')}`);
    return group.checks;
  });
  assert.equal(new Set(expected).size, expected.length, 'no check is listed twice');

  // The suite's own baseline check too (JSON is YAML): it must agree with the comparison below.
  const expectedFailures = join(work, 'expected-failures.yaml');
  await writeFile(expectedFailures, JSON.stringify({ server: expected }));
  const outputDir = join(work, 'results');
  const run = await runNode22Tool(
    'conformance',
    ['server', '--url', proxyUrl, '--suite', 'all', '--expected-failures', expectedFailures, '-o', outputDir],
    { env: { HOME: work } },
  );
  const summary = run.stdout.slice(run.stdout.indexOf('=== SUMMARY ==='));

  const { failing, scenarios } = await failingChecks(outputDir);
  const unexpected = failing.filter((check) => !expected.includes(check));
  const stale = expected.filter((check) => !failing.includes(check));
  assert.deepEqual(
    { unexpected, stale },
    { unexpected: [], stale: [] },
    `failing but not in the baseline: ${unexpected.join(', ') || 'none'}\n` +
      `in the baseline but not failing: ${stale.join(', ') || 'none'}\n\n${summary}`,
  );
  assert.equal(run.code, 0, `${summary}\n${run.stderr}`);
  assert.match(run.stdout, /Baseline check passed/);

  // What a tools-only server must get right ran and passed (not merely went unlisted).
  for (const scenario of [
    'server-initialize',
    'ping',
    'tools-list',
    'server-stateless',
    'http-header-validation',
    'dns-rebinding-protection',
    'caching',
  ]) {
    assert.ok((scenarios.get(scenario) ?? 0) > 0, `${scenario} ran with passing checks`);
  }
});
