/**
 * Servers the benchmarks run as child processes, the way `npm start` runs Parley: a free loopback
 * port, a spawn timed to its first answer, the child's standard output kept (Parley prints its
 * first-start tokens there), and a stop by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ChildServer {
  child: ChildProcess;
  /** ms from spawn to the first answer `ready` accepted. */
  ms: number;
  /** Everything the child wrote to standard output so far. */
  output(): string;
}

/**
 * Spawns `node <args>` in `cwd` and polls `readyUrl` every 5 ms until it answers 200; throws if the
 * child exits first.
 */
export async function startChildServer(
  args: string[],
  { cwd, env, readyUrl }: { cwd: string; env: Record<string, string>; readyUrl: string },
): Promise<ChildServer> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node ${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(readyUrl);
      await res.arrayBuffer();
      if (res.status === 200) return { child, ms: performance.now() - started, output: () => output };
    } catch {
      // not listening yet
    }
    await delay(5);
  }
}

export async function stopChildServer(child: ChildProcess): Promise<void> {
  // A child ended by a signal has no exit code, only a signal code: it has exited all the same.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Starts `node <args>` twice on one port and the same data dir: the first start makes the data dir
 * and is stopped, the second runs on, as a server that has been up before does (no first-start work,
 * no initdb garbage). `firstOutput` is what the first start printed (Parley's first-start tokens).
 */
export async function startRestartedServer(
  args: string[],
  { cwd, env }: { cwd: string; env: Record<string, string> },
): Promise<{ server: ChildServer; base: string; firstOutput: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const start = () =>
    startChildServer(args, { cwd, env: { ...env, PORT: String(port) }, readyUrl: `${base}/health` });
  const first = await start();
  await stopChildServer(first.child);
  return { server: await start(), base, firstOutput: first.output() };
}
