/**
 * A Parley runtime for a benchmark, as `npm start` builds it: on a fresh PGlite data dir, or on a
 * scratch database of the PostgreSQL at `postgresUrl` (the test database's server by default; dropped on
 * close). Logs are off, the demo too, and loopback targets are allowed (benchmarks only talk to
 * loopback); `env` adds to that or overrides it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../apps/server/src/config.ts';
import type { DatabaseKind } from '../../apps/server/src/db/database.ts';
import { startRuntime, type RuntimeOptions } from '../../apps/server/src/runtime.ts';
import { createScratchPostgresDatabase } from '../../apps/server/test/helpers/test-database.ts';

export async function startParley(
  kind: DatabaseKind,
  {
    postgresUrl,
    env = {},
    options,
  }: { postgresUrl?: string; env?: Record<string, string>; options?: RuntimeOptions } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const scratch = kind === 'postgres' ? await createScratchPostgresDatabase(postgresUrl) : undefined;
  const runtime = await startRuntime(
    loadConfig({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_LOG_LEVEL: 'silent',
      PARLEY_DISABLE_DEMO: 'true',
      PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
      ...env,
      ...(scratch === undefined ? {} : { DATABASE_URL: scratch.url }),
    }),
    options,
  );
  return {
    runtime,
    async close() {
      await runtime.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
