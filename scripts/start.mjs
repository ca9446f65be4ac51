#!/usr/bin/env node
// `npm start`: builds what is missing or older than its sources (the console, then the server's
// bundle), each with a line saying so, then runs the server's bundle in this process. A build after
// `npm install` (prepare) or after a `git pull` takes a second or two; an up-to-date start checks
// file times only. `npm run dev` runs the sources instead, restarting on changes.
import { spawnSync } from 'node:child_process';
import { buildServer, serverBuildIsStale } from '../apps/server/scripts/build.mjs';

const root = new URL('..', import.meta.url).pathname;

const consoleBuild = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'apps/console/scripts/build.ts', '--if-stale'],
  { cwd: root, stdio: 'inherit' },
);
if (consoleBuild.status !== 0) process.exit(consoleBuild.status ?? 1);

if (serverBuildIsStale()) {
  process.stdout.write('Building the server (apps/server/dist is missing or older than its sources)…\n');
  const ms = await buildServer();
  process.stdout.write(`Built the server in ${ms} ms.\n`);
}
await import('../apps/server/dist/main.js');
