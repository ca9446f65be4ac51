#!/usr/bin/env node
// Builds the server into dist/main.js (with dist/chunks/ for what it loads on demand): an ESM bundle of
// src/ and the workspace packages it uses (@parley/contract and @parley/webhooks are TypeScript
// sources), with every npm dependency left as an import resolved from node_modules at run time.
// `npm start` runs the bundle, so production pays no TypeScript transpiling at start-up; `npm run dev`
// and the tests keep running the sources.
// `--if-stale` builds only when a source the last build read (or any file under src/) is newer.
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const inputsFile = join(dist, 'build-inputs.json');

const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );

/** Stale when never built, or when any input of the last build (or any file now under src/) is newer. */
export function serverBuildIsStale() {
  if (!existsSync(inputsFile)) return true;
  const builtAt = statSync(inputsFile).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')).map((file) => join(root, file));
  const sources = filesUnder(join(root, 'src')).filter((file) => !file.endsWith('.test.ts'));
  return [...inputs, ...sources].some((file) => !existsSync(file) || statSync(file).mtimeMs > builtAt);
}

export async function buildServer() {
  const started = performance.now();
  const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  rmSync(dist, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'src/main.ts' },
    outdir: dist,
    bundle: true,
    format: 'esm',
    // Modules loaded with import() get chunks of their own, and their npm imports load with them:
    // a process on PGlite never loads the PostgreSQL driver (src/db/database.ts).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
    // npm packages stay imports (subpaths included: `pg`, `drizzle-orm/pg-core`); workspace packages are bundled.
    external: Object.keys(dependencies).filter((name) => !name.startsWith('@parley/')),
    // Bundled CommonJS modules call require(): give the ESM bundle one.
    banner: {
      js: "import { createRequire as __parleyRequire } from 'node:module'; const require = __parleyRequire(import.meta.url);",
    },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules'));
  writeFileSync(inputsFile, JSON.stringify(inputs.map((file) => relative(root, join(root, file)))));
  return Math.round(performance.now() - started);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--if-stale') && !serverBuildIsStale()) process.exit(0);
  const ms = await buildServer();
  process.stdout.write(`Built the server into apps/server/dist/ in ${ms} ms.\n`);
}
