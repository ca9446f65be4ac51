/**
 * Runs the PHP that docs give integrators, as PHP runs it, with the PHP shipped as an npm package
 * (@php-wasm/node, PHP compiled to WebAssembly), so that `npm test` needs no PHP installed: a function
 * file under PHP's CLI, and a receiving script behind a real HTTP server on loopback whose requests PHP
 * handles as a web server does (`$_SERVER`, the headers and `php://input` come from the request).
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verdictLines } from './doc-snippets.ts';
import { loadNodeRuntime, PHP, PHPRequestHandler, setPhpIniEntries, type HTTPMethod } from './php-wasm.ts';

/** The oldest PHP that docs/webhooks.md supports is 8.0; 8.3 is what integrators run today. */
const PHP_VERSION = '8.3';

/**
 * Every notice and warning printed in the output, whatever the defaults say, so that none goes unseen
 * (php.ini entries for the web server, `-d` options for the CLI).
 */
const STRICT: Record<string, string> = { display_errors: 'stdout', html_errors: '0', error_reporting: '-1' };
const PHP_DIAGNOSTIC = /(Fatal error|Warning|Notice|Deprecated):/;

/**
 * Starts one PHP process with `env` as its environment (what `getenv()` reads) and `stdin` as its
 * standard input. This version's loader requires a process id; it only tells php-wasm processes apart
 * for file locks, which the snippets do not take.
 */
async function startPhp(env: Record<string, string>, stdin = new Uint8Array(0)): Promise<PHP> {
  let read = 0;
  const nextByte = () => (read < stdin.length ? (stdin[read++] ?? null) : null);
  return new PHP(
    await loadNodeRuntime(PHP_VERSION, { emscriptenOptions: { processId: 1, ENV: env, stdin: nextByte } }),
  );
}

const VERIFIED = 'verified';

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

/** A request's headers as PHP takes them: one string per name (repeated headers joined, as HTTP allows). */
const phpHeaders = (message: IncomingMessage) =>
  Object.fromEntries(
    Object.entries(message.headersDistinct).map(([name, values]) => [name, (values ?? []).join(', ')]),
  );

/**
 * Serves every request with `script`, with `env` set, on an ephemeral loopback port: a Node HTTP server
 * hands each request as received (method, target, headers, body bytes) to PHP's request handling, which
 * runs the script for every path like `php -S 127.0.0.1:0 script.php` does.
 */
async function startPhpReceiver(script: string, env: Record<string, string>): Promise<PhpReceiver> {
  const php = await startPhp(env);
  await setPhpIniEntries(php, STRICT);
  php.mkdirTree('/var/www');
  php.writeFile('/var/www/receiver.php', script);
  // Listening first: the handler takes the server's address, which fills `$_SERVER['HTTP_HOST']` and the like.
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handler = new PHPRequestHandler({
    php,
    documentRoot: '/var/www',
    absoluteUrl: url,
    cookieStore: false,
    getFileNotFoundAction: () => ({ type: 'internal-redirect', uri: '/receiver.php' }),
  });
  server.on('request', (incoming: IncomingMessage, outgoing: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      try {
        const answer = await handler.request({
          method: incoming.method as HTTPMethod,
          url: incoming.url ?? '/',
          headers: phpHeaders(incoming),
          body: new Uint8Array(Buffer.concat(chunks)),
        });
        outgoing.writeHead(answer.httpStatusCode, answer.headers).end(answer.bytes);
      } catch (error) {
        outgoing.writeHead(500).end(`php-wasm failed: ${(error as Error).stack ?? String(error)}`);
      }
    })();
  });
  return {
    url,
    async close() {
      server.close();
      await once(server, 'close');
      php.exit();
    },
  };
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
 * Sends each request to `script` served over HTTP (one PHP process per secret, given in the environment
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

/**
 * Runs a PHP program (a docs snippet and a harness) under PHP's CLI with the cases as JSON on its
 * standard input, like `verdicts` does with other languages; a non-zero exit fails the test.
 */
export async function phpVerdicts(
  code: string,
  cases: ReadonlyArray<{ name: string }>,
): Promise<Array<[string, boolean]>> {
  const php = await startPhp({}, Buffer.from(JSON.stringify(cases), 'utf8'));
  try {
    php.writeFile('/snippet.php', code);
    const strict = Object.entries(STRICT).flatMap(([name, value]) => ['-d', `${name}=${value}`]);
    const run = await php.cli(['php', ...strict, '/snippet.php']);
    const [stdout, stderr, exitCode] = await Promise.all([run.stdoutText, run.stderrText, run.exitCode]);
    if (exitCode !== 0) throw new Error(`PHP exited with ${exitCode}:\n${stdout}\n${stderr}`);
    return verdictLines(stdout, cases);
  } finally {
    php.exit();
  }
}
