/**
 * A module bundled the way `npm start` runs the server (apps/server/scripts/build.mjs: one ESM bundle,
 * workspace packages included, npm packages left as imports), from the repository's files as they
 * were at a git revision, so two versions of the code can be measured side by side in one run.
 * `keepNames` adds what tsx does to every module it loads (esbuild's keepNames: every function it
 * creates is named at run time), to show what a change saved when the server ran under tsx.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { build, type Loader, type Plugin } from 'esbuild';

const repoRoot = new URL('../..', import.meta.url).pathname;
const serverRoot = join(repoRoot, 'apps/server');
/** Under apps/server, so the bundle's npm imports resolve as dist/main.js's do (.tmp/ is ignored by git). */
const outRoot = join(serverRoot, '.tmp/bundle-ab');

const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' });

/**
 * The files whose text at `rev` differs from the working tree, by absolute path; empty for
 * 'worktree'. A file that `rev` does not have is left as it is on disk: `rev`'s code never imports it.
 */
function filesAt(rev: string): Map<string, string> {
  const files = new Map<string, string>();
  if (rev === 'worktree') return files;
  // The server's and the packages' code only: the harness (bench/) is the same for both variants.
  const changed = git('diff', '--name-only', '--no-renames', rev, '--', 'apps/server/src', 'packages')
    .split('\n')
    .filter((name) => name !== '');
  const atRev = new Set(git('ls-tree', '-r', '--name-only', rev).split('\n'));
  for (const name of changed) {
    if (atRev.has(name)) files.set(join(repoRoot, name), git('show', `${rev}:${name}`));
  }
  return files;
}

const loaders: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.js': 'js',
  '.mjs': 'js',
  '.json': 'json',
};

function sourcesAt(files: ReadonlyMap<string, string>): Plugin {
  return {
    name: 'sources-at-revision',
    setup(builder) {
      // A file of the revision that the working tree no longer has must still resolve.
      builder.onResolve({ filter: /^\.\.?\// }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        return files.has(path) ? { path } : undefined;
      });
      builder.onLoad({ filter: /.*/ }, (args) => {
        const contents = files.get(args.path);
        if (contents === undefined) return undefined;
        return { contents, loader: loaders[extname(args.path)] ?? 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

export interface BundleVariant {
  /** A git revision, or 'worktree' for the files on disk. */
  rev: string;
  keepNames?: boolean;
}

/** Bundles `entry` (a path from the repository root) as `variant` has it; returns the bundle's path. */
export async function bundleVariant(entry: string, variant: BundleVariant, name: string): Promise<string> {
  const { dependencies } = JSON.parse(readFileSync(join(serverRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const outfile = join(outRoot, `${name}.mjs`);
  mkdirSync(outRoot, { recursive: true });
  await build({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    keepNames: variant.keepNames ?? false,
    logLevel: 'warning',
    external: Object.keys(dependencies).filter((dependency) => !dependency.startsWith('@parley/')),
    banner: {
      js: "import { createRequire as __parleyRequire } from 'node:module'; const require = __parleyRequire(import.meta.url);",
    },
    plugins: [sourcesAt(filesAt(variant.rev))],
  });
  return outfile;
}

/**
 * The command line of an A/B script: `<revA> [revB] [--name=value…] [--flag…]`, revB the working tree
 * when left out. Without revA it prints how to call `script` and exits (`npm run bench` runs every
 * script with no arguments).
 */
export function abArguments(script: string) {
  const args = process.argv.slice(2);
  const [revA, revB = 'worktree'] = args.filter((arg) => !arg.startsWith('--'));
  if (revA === undefined) {
    process.stdout.write(
      `${script} compares two revisions: node --import tsx bench/${script} <revA> [revB]\n`,
    );
    process.exit(0);
  }
  return {
    revA,
    revB,
    option: (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1],
    flag: (name: string) => args.includes(`--${name}`),
  };
}

/** Removes the bundles made here, and apps/server/.tmp when nothing else is in it. */
export function removeBundleVariants(): void {
  rmSync(outRoot, { recursive: true, force: true });
  if (readdirSync(dirname(outRoot)).length === 0) rmdirSync(dirname(outRoot));
}
