/**
 * Builds the console into apps/console/dist: one esbuild bundle (Preact, uPlot, the side panel's
 * customer view) with its CSS, the HTML page, and the side panel's stylesheet scoped to a shadow
 * root. `--if-stale` builds only when a source is newer than the last build (npm start runs it).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const panelCss = join(root, '../extension/static/panel.css');
const inputsFile = join(dist, 'build-inputs.json');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Stale when never built, or when any source the last build read (or any file now in src/) is newer. */
function isStale(): boolean {
  if (!existsSync(inputsFile)) return true;
  const builtAt = statSync(inputsFile).mtimeMs;
  const lastInputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as string[];
  const candidates = [...lastInputs, ...filesUnder(join(root, 'src')), ...filesUnder(join(root, 'static'))];
  return candidates.some((file) => !existsSync(file) || statSync(file).mtimeMs > builtAt);
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { console: 'src/main.tsx' },
  outdir: dist,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // zod (in the contract's constants) probes `new Function` unless told not to; the CSP forbids eval.
  banner: { js: 'globalThis.__zod_globalConfig = { jitless: true };' },
});
writeFileSync(join(dist, 'index.html'), readFileSync(join(root, 'static/index.html')));
writeFileSync(join(dist, 'favicon.svg'), readFileSync(join(root, 'static/favicon.svg')));
// The side panel's own stylesheet, for the customer preview rendered in a shadow root: its page-level
// selectors (:root, body) become the shadow host's, and its buttons, which act on a WhatsApp chat
// (insert a reply, go back to a list), are hidden: there is no chat in the console.
const scoped = readFileSync(panelCss, 'utf8')
  .replace(/:root\b/g, ':host')
  .replace(/\bbody\b/g, '.panel-body');
writeFileSync(join(dist, 'panel.css'), `${scoped}\n.panel-body button {\n  display: none;\n}\n`);
const inputs = [...Object.keys(result.metafile.inputs).map((file) => join(root, file)), panelCss];
writeFileSync(inputsFile, JSON.stringify(inputs));
console.log(`Built the console into ${dist} in ${Date.now() - started} ms.`);
