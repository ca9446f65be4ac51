import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { buildSignatureHeaders } from './build-headers.ts';
import { verifyWebhook, type VerifyWebhookInput } from './verify-webhook.ts';

const secret = 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const timestamp = 1_700_000_000;
const body = '{"id":"evt_1","event":"test","data":{"note":"olé"}}';
const sent = buildSignatureHeaders({ id: 'evt_1', event: 'test', attempt: 1, timestamp, body, secret });
const wazionOnly = { 'X-WAzion-Signature': sent['X-WAzion-Signature'] };

function outcome(overrides: Partial<VerifyWebhookInput>): string {
  const result = verifyWebhook({ headers: sent, body, secret, now: timestamp * 1000, ...overrides });
  return result.ok ? result.scheme : result.code;
}

/** Sends the delivery to a real loopback server and returns what its handler received. */
async function deliver(): Promise<{ headers: IncomingHttpHeaders; rawBody: Buffer }> {
  let received: { headers: IncomingHttpHeaders; rawBody: Buffer } | undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received = { headers: request.headers, rawBody: Buffer.concat(chunks) };
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/hook`, { method: 'POST', headers: sent, body });
  } finally {
    server.close();
  }
  assert.ok(received, 'the server got the delivery');
  return received;
}

describe('verifyWebhook', () => {
  it('verifies a delivery as a Node receiver gets it: lower-cased headers, raw body bytes', async () => {
    const { headers, rawBody } = await deliver();
    assert.deepEqual(verifyWebhook({ headers, body: rawBody, secret, now: timestamp * 1000 }), {
      ok: true,
      scheme: 'standard',
      id: 'evt_1',
      timestamp,
    });
  });

  it('verifies Fetch Headers, as Hono or Next.js receivers get them', () => {
    assert.equal(outcome({ headers: new Headers(sent) }), 'standard');
  });

  it('does not fall back to WAzion when the Standard Webhooks check fails', () => {
    assert.equal(outcome({ now: (timestamp + 301) * 1000 }), 'TIMESTAMP_TOO_OLD');
    assert.equal(outcome({ body: `${body} ` }), 'NO_MATCHING_SIGNATURE');
  });

  it('uses the WAzion signature when no webhook-signature came, under either of its names', () => {
    assert.equal(outcome({ headers: wazionOnly }), 'wazion');
    assert.equal(outcome({ headers: { 'x-webhook-signature': sent['X-Webhook-Signature'] } }), 'wazion');
    assert.equal(outcome({ headers: wazionOnly, secret: 'other' }), 'NO_MATCHING_SIGNATURE');
    assert.equal(outcome({ headers: wazionOnly, secret: '' }), 'INVALID_SECRET');
  });

  it('accepts only the schemes asked for', () => {
    assert.equal(outcome({ headers: wazionOnly, schemes: ['standard'] }), 'MISSING_HEADER');
    assert.equal(outcome({ now: (timestamp + 301) * 1000, schemes: ['wazion'] }), 'wazion');
  });

  it('reports a delivery without any signature header', () => {
    assert.equal(outcome({ headers: { 'X-Webhook-ID': 'evt_1' } }), 'MISSING_HEADER');
  });
});
