/** The follow-up calls against a real HTTP server on loopback: paths, queries, and which are retried. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { followup } from '../../test/support/panel-data.ts';
import { changeFollowup, listDueFollowups } from './followup-calls.ts';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
let handle: Handler = () => undefined;
const seen: Array<{ method: string; url: string; body: string }> = [];
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', body });
    handle(request, body, response);
  });
});
let connection = { serverUrl: '', token: 'pk_agent_x' };

before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  connection = { ...connection, serverUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});
after(() => server.close());

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const busy = { error: { code: 'BUSY', message: 'Try again later.' } };

test("the due follow-ups, of one chat when a phone is given; a busy server's GET is retried", async () => {
  seen.length = 0;
  handle = (_request, _body, response) =>
    seen.length === 1 ? json(response, 503, busy) : json(response, 200, { followups: [followup()] });
  const outcome = await listDueFollowups(connection, '+34655123987');
  assert.deepEqual(outcome, { ok: true, value: { followups: [followup()] } });
  assert.deepEqual(
    seen.map(({ method, url }) => `${method} ${url}`),
    [
      'GET /api/followups?status=due&phone=%2B34655123987',
      'GET /api/followups?status=due&phone=%2B34655123987',
    ],
  );
  seen.length = 0;
  await listDueFollowups(connection, null);
  assert.equal(seen[0]?.url, '/api/followups?status=due');
});

test('sent and dismiss POST an empty body to the follow-up; a busy server gets one more try', async () => {
  for (const change of ['sent', 'dismiss'] as const) {
    seen.length = 0;
    handle = (_request, _body, response) => json(response, 503, busy);
    const outcome = await changeFollowup(connection, 'fu/1', change);
    assert.equal(!outcome.ok && outcome.failure.status, 503);
    const request = { method: 'POST', url: `/api/followups/fu%2F1/${change}`, body: '{}' };
    assert.deepEqual(seen, [request, request]);
  }
});

test("a conflict is not retried and carries the server's code and message for the card", async () => {
  seen.length = 0;
  handle = (_request, _body, response) =>
    json(response, 409, { error: { code: 'CONFLICT', message: 'The follow-up was dismissed.' } });
  assert.deepEqual(await changeFollowup(connection, 'fu_1', 'sent'), {
    ok: false,
    failure: { kind: 'rejected', status: 409, code: 'CONFLICT', detail: 'The follow-up was dismissed.' },
  });
  assert.equal(seen.length, 1);
});

test('an answer that is not a follow-up is refused at the boundary', async () => {
  handle = (_request, _body, response) => json(response, 200, { followup: { id: 'fu_1' } });
  const outcome = await changeFollowup(connection, 'fu_1', 'dismiss');
  assert.equal(!outcome.ok && outcome.failure.kind, 'invalid_response');
});
