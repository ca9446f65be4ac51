/**
 * A package under tools/ (its own package with its own lockfile, outside the workspaces, so a `node`
 * binary it holds never shadows the Node that runs Parley in npm scripts), installed on demand:
 * a fresh clone does not have it yet, and the first test that needs it runs `npm ci` for it, once
 * even when several test files ask at the same time, printing one line that says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ToolsPackage {
  /** The path of one of its node_modules/.bin entries. */
  bin(name: string): string;
  /** Installs it unless every bin it promises is there. */
  ensure(): Promise<void>;
}

/** `name` is its directory under tools/; `bins` what a complete install has; `what` ends the printed line. */
export function toolsPackage(name: string, bins: readonly string[], what: string): ToolsPackage {
  const dir = new URL(`../../../../tools/${name}`, import.meta.url).pathname;
  const bin = (binName: string) => join(dir, 'node_modules', '.bin', binName);
  const installed = () => bins.every((binName) => existsSync(bin(binName)));

  async function ensure(): Promise<void> {
    if (installed()) return;
    const lock = join(dir, '.install.lock');
    while (!takeLock(lock)) {
      await released(dir, lock);
      if (installed()) return;
    }
    try {
      if (installed()) return;
      console.log(`tools/${name} is not installed: npm ci --prefix tools/${name} (${what})`);
      const npm = spawnSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund'], { encoding: 'utf8' });
      if (npm.status !== 0 || !installed()) {
        throw new Error(
          `npm ci --prefix tools/${name} failed (${npm.status}):\n${npm.stdout}\n${npm.stderr}`,
        );
      }
    } finally {
      rmSync(lock, { force: true });
    }
  }

  return { bin, ensure };
}

function takeLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A lock left by an installer that died would otherwise be waited on forever.
    if (!alive(Number(readFileSync(lock, 'utf8')))) rmSync(lock, { force: true });
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `lock` (in `dir`) is gone, or was already. */
function released(dir: string, lock: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dir, () => {
      if (!existsSync(lock)) done();
    });
    const done = () => {
      watcher.close();
      resolve();
    };
    if (!existsSync(lock)) done();
  });
}
