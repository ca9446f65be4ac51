#!/usr/bin/env node
// Runs every *.test.ts of the server (src and test) with node:test: once on PGlite, and once more
// on PostgreSQL when PARLEY_TEST_DATABASE_URL is set. A file named *.pglite.test.ts or
// *.postgres.test.ts tests what only that database has (the data-dir lock, several processes)
// and runs in that pass only. Node 20 does not expand globs itself, hence the explicit file list.
// Arguments name files to run alone.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const findTests = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });

const requested = process.argv.slice(2);
const files =
  requested.length > 0
    ? requested
    : [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))].sort();
const databases = process.env.PARLEY_TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
if (!process.env.PARLEY_TEST_DATABASE_URL) {
  console.log('PARLEY_TEST_DATABASE_URL is not set: running on PGlite only.');
}

let failed = false;
for (const database of databases) {
  const other = database === 'pglite' ? 'postgres' : 'pglite';
  const passFiles = files.filter((file) => !file.endsWith(`.${other}.test.ts`));
  if (passFiles.length === 0) continue;
  console.log(`\n# Server tests on ${database} (${passFiles.length} files)`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', ...passFiles],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PARLEY_TEST_DB: database },
    },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
