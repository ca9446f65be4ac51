/**
 * Runs the PHP that docs give integrators, as PHP runs it: a function file under the CLI, a receiving
 * script under PHP's built-in web server (`php -S`), which fills `$_SERVER` and `php://input` from a
 * real HTTP request. PHP is a test requirement like Chromium (`.ci/run` installs `php-cli`).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { verdicts } from './doc-snippets.ts';

const PHP_MISSING =
  'PHP is needed to run the PHP snippets of docs/ (Debian: apt-get install php-cli); .ci/run installs it.';

/** Writes `code` to a PHP file in a fresh temporary folder; `remove` deletes the folder. */
function phpFile(code: string): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-php-'));
  const path = join(dir, 'snippet.php');
  writeFileSync(path, code);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const VERIFIED = 'verified';

/** Every notice and warning printed in the output, whatever php.ini says, so that none goes unseen. */
const STRICT = ['-d', 'display_errors=stdout', '-d', 'html_errors=0', '-d', 'error_reporting=-1'];
const PHP_DIAGNOSTIC = /(Fatal error|Warning|Notice|Deprecated):/;

/**
 * A docs receiving script (the functions, then the code that reads the request), ending in an echo
 * of `VERIFIED`: that is what a request the script lets through answers, and the script's own
 * rejection answers 401.
 */
export const receiverScript = (functions: string, receiver: string) =>
  `${functions}\n${receiver}\necho '${VERIFIED}';\n`;

interface PhpReceiver {
  url: string;
  close(): Promise<void>;
}

/** Serves every request with `script` under `php -S` on an ephemeral loopback port, with `env` set. */
async function startPhpReceiver(script: string, env: Record<string, string>): Promise<PhpReceiver> {
  const file = phpFile(script);
  const child = spawn('php', [...STRICT, '-S', '127.0.0.1:0', file.path], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const output: string[] = [];
  try {
    // PHP prints "Development Server (http://127.0.0.1:PORT) started" once it listens.
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error(PHP_MISSING, { cause: error }) : error),
      );
      void exited.then((code) => reject(new Error(`php -S exited (code ${code}):\n${output.join('\n')}`)));
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          output.push(line);
          const started = /\((http:\/\/127\.0\.0\.1:\d+)\) started/.exec(line);
          if (started?.[1] !== undefined) resolve(started[1]);
        });
      }
    });
    return {
      url,
      async close() {
        child.kill();
        await exited;
        file.remove();
      },
    };
  } catch (error) {
    file.remove();
    throw error;
  }
}

export interface RawRequest {
  method: string;
  /** The request target exactly as sent. */
  pathAndQuery: string;
  body: string;
  headers: Record<string, string>;
}

/** Sends a request with its target and body as given (no URL parsing on the way). */
async function sendRaw(baseUrl: string, raw: RawRequest): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  const body = Buffer.from(raw.body, 'utf8');
  const req = request({
    host: hostname,
    port,
    method: raw.method,
    path: raw.pathAndQuery,
    headers: { ...raw.headers, 'content-length': String(body.length) },
  });
  req.end(body);
  const [response] = (await once(req, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
}

/**
 * Sends each request to `script` served by `php -S` (one server per secret, given in the environment
 * variable `secretVariable`) and pairs its name with whether the script let it through, in the
 * requests' order. Anything but a pass or a 401 (a PHP error, a warning printed) fails the test.
 */
export async function receiverVerdicts(
  script: string,
  secretVariable: string,
  requests: ReadonlyArray<RawRequest & { name: string; secret: string }>,
): Promise<Array<[string, boolean]>> {
  const passed = new Map<string, boolean>();
  for (const secret of new Set(requests.map((r) => r.secret))) {
    const receiver = await startPhpReceiver(script, { [secretVariable]: secret });
    try {
      for (const { name, secret: _secret, ...raw } of requests.filter((r) => r.secret === secret)) {
        const answer = await sendRaw(receiver.url, raw);
        const through = answer.status === 200 && answer.body === VERIFIED;
        // A notice or warning (STRICT prints them) fails the test even on a right verdict.
        if ((!through && answer.status !== 401) || PHP_DIAGNOSTIC.test(answer.body)) {
          throw new Error(`${name}: the PHP receiver answered ${answer.status}: ${answer.body}`);
        }
        passed.set(name, through);
      }
    } finally {
      await receiver.close();
    }
  }
  return requests.map(({ name }) => [name, passed.get(name) ?? false]);
}

/** Runs a PHP program (a docs snippet and a harness) over the cases, like `verdicts` does. */
export function phpVerdicts(code: string, cases: ReadonlyArray<{ name: string }>): Array<[string, boolean]> {
  const file = phpFile(code);
  try {
    return verdicts('php', [...STRICT, file.path], cases);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(PHP_MISSING, { cause: error });
    throw error;
  } finally {
    file.remove();
  }
}
