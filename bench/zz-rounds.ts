import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startChildServer, stopChildServer } from './lib/child-server.ts';
import { callMcpTool } from './lib/mcp-call.ts';
import { processCpuMs } from './lib/thread-cpu.ts';
const dir = mkdtempSync(join(tmpdir(), 'zz-'));
const port = await freePort();
const s = await startChildServer(['apps/server/dist/main.js'], {
  cwd: '/work/main',
  env: {
    PORT: String(port),
    PARLEY_DATA_DIR: dir,
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_MCP_RATE_LIMIT: '100000000',
  },
  readyUrl: `http://127.0.0.1:${port}/health`,
});
const token = /Demo shop .* token: (\S+)/.exec(s.output())![1];
const tool = process.argv[2] ?? 'get_webhook_config';
const out = [];
for (let r = 0; r < 10; r++) {
  const c0 = processCpuMs(s.child.pid!)!;
  const t0 = performance.now();
  for (let i = 0; i < 400; i++)
    await callMcpTool(`http://127.0.0.1:${port}/api/mcp`, tool, {}, `Bearer ${token}`);
  out.push(
    `${Math.round(((processCpuMs(s.child.pid!)! - c0) * 1000) / 400)}µs/${((performance.now() - t0) / 400).toFixed(2)}ms`,
  );
}
console.log(tool, out.join(' '));
await stopChildServer(s.child);
rmSync(dir, { recursive: true, force: true });
