/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance: every server scenario,
 * then the 2025-11-25 and 2026-07-28 requirement sets; run with tools/node22's Node 22) against
 * Parley on loopback. The suite sends no credentials, so a loopback proxy adds the shop token
 * and passes everything else (Host and Origin included) through unchanged. Checks that cannot
 * apply to a stateless tools-only server are listed, with the reason, in
 * mcp-conformance.baseline.json; the test fails when any other check fails and when a listed
 * check no longer fails (the list would then hide a regression later).
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

/** Every check the suite reported, as `scenario:check-id` by status, read from its result files. */
async function readChecks(outputDir: string): Promise<{ failing: string[]; passing: string[] }> {
  const failing: string[] = [];
  const passing: string[] = [];
  for (const dir of await readdir(outputDir)) {
    const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    const checks = JSON.parse(await readFile(join(outputDir, dir, 'checks.json'), 'utf8')) as Array<{
      id: string;
      status: string;
    }>;
    for (const check of checks) {
      const name = `${scenario}:${check.id}`;
      if (check.status === 'FAILURE' || check.status === 'WARNING') failing.push(name);
      if (check.status === 'SUCCESS') passing.push(name);
    }
  }
  return { failing: failing.sort(), passing };
}

async function readBaseline(): Promise<string[]> {
  const baseline = JSON.parse(
    await readFile(new URL('mcp-conformance.baseline.json', import.meta.url), 'utf8'),
  ) as Baseline;
  const listed = baseline.notApplicable.flatMap((group) => {
    assert.ok(group.reason.length > 20, `a reason for ${group.checks.join(', ')}`);
    return group.checks;
  });
  assert.equal(new Set(listed).size, listed.length, 'no check is listed twice');
  return listed;
}

/**
 * Every scenario once at its newest protocol revision, then what each revision requires at that
 * revision's wire (initialize in 2025-11-25, server/discover in 2026-07-28). The first run holds
 * every listed check, so there each must fail; the others hold a part, so there none may pass.
 */
const runs = [
  {
    name: 'every server scenario',
    args: ['--suite', 'all'],
    allListed: true,
    mustPass: [
      'server-initialize',
      'ping',
      'tools-list',
      'server-stateless',
      'http-header-validation',
      'dns-rebinding-protection',
      'caching',
    ],
  },
  {
    name: 'the 2025-11-25 requirements',
    args: ['--requirements', '2025-11-25'],
    allListed: false,
    mustPass: ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'],
  },
  {
    name: 'the 2026-07-28 requirements',
    args: ['--requirements', '2026-07-28'],
    allListed: false,
    mustPass: ['server-stateless', 'tools-list', 'dns-rebinding-protection', 'caching'],
  },
] as const;

for (const [index, run] of runs.entries()) {
  test(`MCP conformance, ${run.name}: every check that applies passes, the baseline lists the rest`, async () => {
    const listed = await readBaseline();
    // The suite's own baseline check too (JSON is YAML): it must agree with the comparison below.
    const expectedFailures = join(work, 'expected-failures.yaml');
    await writeFile(expectedFailures, JSON.stringify({ server: listed }));
    const outputDir = join(work, `results-${index}`);
    const suite = await runNode22Tool(
      'conformance',
      ['server', '--url', proxyUrl, ...run.args, '--expected-failures', expectedFailures, '-o', outputDir],
      { env: { HOME: work } },
    );
    const summary = suite.stdout.slice(suite.stdout.indexOf('=== SUMMARY ==='));

    const { failing, passing } = await readChecks(outputDir);
    const unexpected = failing.filter((check) => !listed.includes(check));
    const stale = listed.filter((check) =>
      run.allListed ? !failing.includes(check) : passing.includes(check),
    );
    assert.deepEqual(
      { unexpected, stale },
      { unexpected: [], stale: [] },
      `failing but not in the baseline: ${unexpected.join(', ') || 'none'}\n` +
        `in the baseline but not failing: ${stale.join(', ') || 'none'}\n\n${summary}`,
    );
    assert.equal(suite.code, 0, `${summary}\n${suite.stderr}`);
    assert.match(suite.stdout, /Baseline check passed/);

    // What a tools-only server must get right ran and passed (not merely went unlisted).
    for (const scenario of run.mustPass) {
      assert.ok(
        passing.some((check) => check.startsWith(`${scenario}:`)),
        `${scenario} ran with passing checks`,
      );
    }
  });
}
