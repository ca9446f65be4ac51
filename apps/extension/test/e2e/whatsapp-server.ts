/**
 * Serves the fake WhatsApp Web page over HTTPS on loopback with a certificate made for
 * web.whatsapp.com at test time; Chromium maps web.whatsapp.com:443 here (STACK.md), so the
 * extension's real content scripts run on it.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface WhatsAppServer {
  port: number;
  close(): Promise<void>;
}

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-whatsapp-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=web.whatsapp.com',
        '-addext',
        'subjectAltName=DNS:web.whatsapp.com',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startWhatsAppServer(): Promise<WhatsAppServer> {
  const fixture = new URL('whatsapp-fixture/', import.meta.url);
  const bundle = await build({
    entryPoints: [new URL('app.ts', fixture).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome116',
  });
  const app = {
    type: 'text/html; charset=utf-8',
    body: readFileSync(new URL('index.html', fixture), 'utf8'),
  };
  const pages: Record<string, { type: string; body: string }> = {
    '/': app,
    // WhatsApp Web's "click to chat" address: the app, opening the chat of `?phone=`.
    '/send': app,
    '/app.js': { type: 'text/javascript; charset=utf-8', body: bundle.outputFiles[0]?.text ?? '' },
  };
  const server = createServer(selfSignedCertificate(), (request, response) => {
    const page = pages[new URL(request.url ?? '/', 'https://web.whatsapp.com').pathname];
    if (page === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': page.type }).end(page.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
