/**
 * MCP tools/call against the MCP SDK's own speed, measured in the same run: Parley as `npm start`
 * runs it (its bundle, PGlite, restarted and warmed up; the demo shop) and lib/mcp-anchor-server.mjs, the
 * smallest stateless server the same SDK makes, each in its own process. Both get the same
 * 2025-06-18 `tools/call get_webhook_config` from this process, one at a time, in alternating
 * rounds; each server's CPU per call is its whole process's (Parley's includes its database).
 * GET /health of both is the floor of any request. Target (issue 15): Parley's p50 and CPU per call
 * within 1.3x of the anchor's.
 *
 *   node --import tsx bench/mcp-latency.ts [rounds=5] [calls per round=400]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, serverBuildIsStale } from '../apps/server/scripts/build.mjs';
import { startRestartedServer, stopChildServer, type ChildServer } from './lib/child-server.ts';
import { callMcpTool } from './lib/mcp-call.ts';
import { measureSequential, percentiles } from './lib/stats.ts';
import { processCpuMs } from './lib/thread-cpu.ts';

const rounds = Number(process.argv[2] ?? 5);
const calls = Number(process.argv[3] ?? 400);
const root = new URL('..', import.meta.url).pathname;
const TARGET = 1.3;

if (serverBuildIsStale()) await buildServer();
const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-mcp-'));
const servers: ChildServer[] = [];
try {
  // Restarted, and warmed up below: the steady state of a server that has been up a while, not the
  // first minute of a fresh one (its first start's data dir, its JIT).
  const parley = await startRestartedServer(['apps/server/dist/main.js'], {
    cwd: root,
    env: { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn', PARLEY_MCP_RATE_LIMIT: '100000000' },
  });
  servers.push(parley.server);
  const anchor = await startRestartedServer(['bench/lib/mcp-anchor-server.mjs'], { cwd: root, env: {} });
  servers.push(anchor.server);
  const token = /Demo shop .* token: (\S+)/.exec(parley.firstOutput)?.[1];
  if (token === undefined) throw new Error('Parley printed no demo shop token on its first start');

  const toolCall = (url: string, authorization?: string) => async () => {
    await callMcpTool(url, 'get_webhook_config', {}, authorization);
  };
  const health = (url: string) => async () => {
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    await response.arrayBuffer();
  };

  const targets = {
    parleyCall: {
      pid: parley.server.child.pid!,
      send: toolCall(`${parley.base}/api/mcp`, `Bearer ${token}`),
    },
    anchorCall: { pid: anchor.server.child.pid!, send: toolCall(`${anchor.base}/mcp`) },
    parleyHealth: { pid: parley.server.child.pid!, send: health(`${parley.base}/health`) },
    anchorHealth: { pid: anchor.server.child.pid!, send: health(`${anchor.base}/health`) },
  };
  type Name = keyof typeof targets;
  const p50s: Record<Name, number[]> = { parleyCall: [], anchorCall: [], parleyHealth: [], anchorHealth: [] };
  const cpus: Record<Name, number[]> = { parleyCall: [], anchorCall: [], parleyHealth: [], anchorHealth: [] };

  for (const { send } of Object.values(targets))
    await measureSequential(send, { iterations: 0, warmup: 3_000 });
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(targets) as Name[]) {
      const { pid, send } = targets[name];
      const cpuBefore = processCpuMs(pid) ?? NaN;
      const { p50 } = await measureSequential(send, { iterations: calls, warmup: 0 });
      cpus[name].push((((processCpuMs(pid) ?? NaN) - cpuBefore) * 1000) / calls);
      p50s[name].push(p50);
    }
  }

  const median = (values: number[]) => percentiles(values).p50;
  const spread = (values: number[], digits: number) =>
    `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  const line = (label: string, name: Name) =>
    `  ${label.padEnd(34)} p50 ${median(p50s[name]).toFixed(2)} ms (rounds ${spread(p50s[name], 2)})  ` +
    `CPU ${median(cpus[name]).toFixed(0)} µs/call (rounds ${spread(cpus[name], 0)})`;
  const verdict = (value: number) => `target <= x${TARGET}: ${value <= TARGET ? 'ok' : 'MISSED'}`;
  const latencyRatio = median(p50s.parleyCall) / median(p50s.anchorCall);
  const cpuRatio = median(cpus.parleyCall) / median(cpus.anchorCall);
  console.log(
    [
      `MCP tools/call against the SDK's minimal server (${rounds} alternating rounds of ${calls} sequential calls, medians), load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}`,
      line('anchor: tools/call (baseline)', 'anchorCall'),
      line('parley: tools/call get_webhook_config', 'parleyCall'),
      `  ratio parley / anchor             p50 x${latencyRatio.toFixed(2)} (${verdict(latencyRatio)})  CPU x${cpuRatio.toFixed(2)} (${verdict(cpuRatio)})`,
      line('anchor: GET /health', 'anchorHealth'),
      line('parley: GET /health', 'parleyHealth'),
    ].join('\n'),
  );
} finally {
  for (const { child } of servers) await stopChildServer(child);
  rmSync(dataDir, { recursive: true, force: true });
}
