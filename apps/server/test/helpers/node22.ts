/**
 * The MCP conformance suite and the MCP Inspector CLI need Node 22; Parley runs on the machine's
 * Node. tools/node22 (its own package, outside the workspaces) holds both with a Node 22 binary
 * from the registry, and they are only ever run with that binary. A fresh clone does not have
 * it installed yet: the first test that needs it installs it with `npm ci`, one file at a time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const toolsDir = new URL('../../../../tools/node22', import.meta.url).pathname;
const bin = (name: string) => join(toolsDir, 'node_modules', '.bin', name);

/** The Node 22 binary, and the tools run with it. */
export const node22 = bin('node');
const tools = { inspector: bin('mcp-inspector'), conformance: bin('conformance') } as const;

const installed = () => [node22, ...Object.values(tools)].every((path) => existsSync(path));

/** Installs tools/node22 unless it is there; test files running at once install it once. */
export async function ensureNode22Tools(): Promise<void> {
  if (installed()) return;
  const lock = join(toolsDir, '.install.lock');
  while (!takeLock(lock)) {
    await released(lock);
    if (installed()) return;
  }
  try {
    if (installed()) return;
    console.log(
      'tools/node22 is not installed: npm ci --prefix tools/node22 (Node 22, MCP conformance suite, Inspector CLI)',
    );
    const npm = spawnSync('npm', ['ci', '--prefix', toolsDir, '--no-audit', '--no-fund'], {
      encoding: 'utf8',
    });
    if (npm.status !== 0 || !installed()) {
      throw new Error(`npm ci --prefix tools/node22 failed (${npm.status}):\n${npm.stdout}\n${npm.stderr}`);
    }
  } finally {
    rmSync(lock, { force: true });
  }
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

/** Resolves once `lock` is gone (or was already). */
function released(lock: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(toolsDir, () => {
      if (!existsSync(lock)) done();
    });
    const done = () => {
      watcher.close();
      resolve();
    };
    if (!existsSync(lock)) done();
  });
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the tools with the Node 22 binary; stdin is closed, as in CI. */
export function runNode22Tool(
  tool: keyof typeof tools,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<ToolRun> {
  const child = spawn(node22, [tools[tool], ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
