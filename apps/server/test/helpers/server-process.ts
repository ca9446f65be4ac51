/**
 * Runs the real server (`node --import tsx src/main.ts`, or `npm start`'s script, one PID) as a child process, for tests
 * of what only a process shows: first-start output, the data-dir lock, signals, crashes.
 * Waits on the server's own log lines, never on timers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const serverRoot = new URL('../..', import.meta.url).pathname;
const repoRoot = new URL('../../../..', import.meta.url).pathname;

export interface ServerProcess {
  child: ChildProcess;
  /** Every stdout line so far (JSON log lines and the first-start banner). */
  stdout: string[];
  stderr: string[];
  /** Resolves with the first stdout line matching, including lines already seen. */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * How to run it: its sources through tsx (the default), or as `npm start` does (scripts/start.mjs from
 * the repository's root, which imports the bundle in its own process), with another Node.
 */
export interface SpawnOptions {
  npmStart?: boolean;
  nodePath?: string;
}

export function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): ServerProcess {
  const [cwd, args] =
    options.npmStart === true
      ? [repoRoot, ['scripts/start.mjs']]
      : [serverRoot, ['--import', 'tsx', 'src/main.ts']];
  const child = spawn(options.nodePath ?? process.execPath, args, {
    cwd,
    // Ephemeral ports, the demo CRM's too, so test processes never compete for a fixed one.
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', PARLEY_DEMO_CRM_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  return {
    child,
    stdout,
    stderr,
    exited,
    waitForLine(match) {
      const seen = stdout.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ match, resolve })),
        exited.then(({ code }) => {
          throw new Error(
            `server exited (code ${code}) before the expected line; stderr:\n${stderr.join('\n')}`,
          );
        }),
      ]);
    },
  };
}

/** Waits for the "listening" log line and returns the server's base URL. */
export async function waitUntilListening(server: ServerProcess): Promise<string> {
  const line = await server.waitForLine((l) => l.includes('"msg":"Parley is listening"'));
  return (JSON.parse(line) as { address: string }).address;
}
