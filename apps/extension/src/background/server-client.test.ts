/** The server client against a real HTTP server on loopback: auth header, retries, errors, validation. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { callServer, type ResponseSchema } from './server-client.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let handle: Handler = () => undefined;
const seen: IncomingMessage[] = [];
const server = createServer((request, response) => {
  seen.push(request);
  handle(request, response);
});
let serverUrl = '';

before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const greeting: ResponseSchema<{ hello: string }> = {
  safeParse: (value) =>
    typeof (value as { hello?: unknown })?.hello === 'string'
      ? { success: true, data: value as { hello: string } }
      : { success: false, error: { message: 'expected {hello}' } },
};

test('sends the bearer token and query, and returns the validated answer', async () => {
  seen.length = 0;
  handle = (_request, response) => json(response, 200, { hello: 'world' });
  const outcome = await callServer(
    { serverUrl, token: 'pk_agent_x' },
    { method: 'GET', path: '/api/panel/customer', query: { phone: '+34655123987' }, schema: greeting },
  );
  assert.deepEqual(outcome, { ok: true, value: { hello: 'world' } });
  assert.equal(seen[0]?.headers.authorization, 'Bearer pk_agent_x');
  assert.equal(seen[0]?.url, '/api/panel/customer?phone=%2B34655123987');
});

test('retries a 503 and succeeds on the next attempt', async () => {
  seen.length = 0;
  handle = (_request, response) =>
    seen.length === 1
      ? json(response, 503, { error: { code: 'BUSY', message: 'busy' } })
      : json(response, 200, { hello: 'again' });
  const outcome = await callServer(
    { serverUrl, token: 't' },
    { method: 'GET', path: '/x', schema: greeting, retries: 2 },
  );
  assert.deepEqual(outcome, { ok: true, value: { hello: 'again' } });
  assert.equal(seen.length, 2);
});

test("a 401 is not retried and carries the server's code and message", async () => {
  seen.length = 0;
  handle = (_request, response) =>
    json(response, 401, { error: { code: 'UNAUTHORIZED', message: 'Invalid or missing bearer token.' } });
  const outcome = await callServer(
    { serverUrl, token: 'wrong' },
    { method: 'GET', path: '/x', schema: greeting, retries: 2 },
  );
  assert.deepEqual(outcome, {
    ok: false,
    failure: {
      kind: 'unauthorized',
      status: 401,
      code: 'UNAUTHORIZED',
      detail: 'Invalid or missing bearer token.',
    },
  });
  assert.equal(seen.length, 1);
});

test('an answer of the wrong shape is an invalid response, not a crash later', async () => {
  handle = (_request, response) => json(response, 200, { something: 'else' });
  const outcome = await callServer(
    { serverUrl, token: 't' },
    { method: 'GET', path: '/x', schema: greeting },
  );
  assert.equal(!outcome.ok && outcome.failure.kind, 'invalid_response');
});

test('a closed port is unreachable; a server that never answers is a timeout', async () => {
  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  closed.close();
  await once(closed, 'close');
  const refused = await callServer(
    { serverUrl: closedUrl, token: 't' },
    { method: 'GET', path: '/x', schema: greeting },
  );
  assert.equal(!refused.ok && refused.failure.kind, 'unreachable');

  handle = () => undefined; // never answers
  const silent = await callServer(
    { serverUrl, token: 't' },
    { method: 'GET', path: '/x', schema: greeting, timeoutMs: 200 },
  );
  assert.equal(!silent.ok && silent.failure.kind, 'timeout');
  server.closeAllConnections();
});
