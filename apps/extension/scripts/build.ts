/**
 * Builds the unpacked extension into apps/extension/dist: one esbuild bundle per entry point (each a
 * classic script, since content scripts cannot be modules), the static pages and styles, the
 * hand-written manifest with the package's version, and the icons.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build, type BuildOptions } from 'esbuild';
import { iconPng } from './icon.ts';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist`;

const pageEntryPoints = {
  content: 'src/content/index.ts',
  'main-world': 'src/main-world/index.ts',
  sidepanel: 'src/panel/index.ts',
  options: 'src/options/index.ts',
};

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
const common: BuildOptions = {
  absWorkingDir: root,
  outdir: dist,
  bundle: true,
  format: 'iife',
  target: 'chrome116',
  platform: 'browser',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};
await Promise.all([
  build({
    ...common,
    entryPoints: { background: 'src/background/index.ts' },
    // The background validates the server's answers with zod, which probes `new Function` unless told
    // not to; an extension's CSP forbids it and Chrome lists every refused probe as an extension error.
    banner: { js: 'globalThis.__zod_globalConfig = { jitless: true };' },
  }),
  // No zod here, and no globals: two of these run inside WhatsApp's page.
  build({ ...common, entryPoints: pageEntryPoints }),
]);

cpSync(`${root}static`, dist, { recursive: true });
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
const manifest = JSON.parse(readFileSync(`${root}static/manifest.json`, 'utf8')) as Record<string, unknown>;
writeFileSync(`${dist}/manifest.json`, `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
mkdirSync(`${dist}/icons`);
for (const size of [16, 32, 48, 128]) writeFileSync(`${dist}/icons/${size}.png`, iconPng(size));

console.log(`Built the extension into ${dist} in ${Date.now() - started} ms. Load it unpacked from there.`);
