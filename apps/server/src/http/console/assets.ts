/**
 * Serves the built console (apps/console/dist) from this origin with a strict CSP: scripts and
 * styles only from here, no inline script, no eval, no third-party request of any kind.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { publicRoute } from '../../features/shops/index.ts';
import { serverRoot } from '../../lib/server-root.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const types: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  map: 'application/json; charset=utf-8',
};

/** Only flat file names the build writes: nothing a path could use to climb out of the folder. */
const ASSET_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.(js|css|svg|png|map)$/;

export const defaultConsoleDir = join(serverRoot, '../console/dist/');

function secureHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin');
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

export function registerConsoleAssets(app: FastifyInstance, dir: string): void {
  app.get('/', publicRoute, async (_request, reply) => {
    const html = await readOrNull(join(dir, 'index.html'));
    secureHeaders(reply).header('cache-control', 'no-store');
    if (html === null) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The console is not built. Run `npm run build -w apps/console` (npm install and npm start do it).',
        );
    }
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.get<{ Params: { file: string } }>('/console/:file', publicRoute, async (request, reply) => {
    const { file } = request.params;
    const body = ASSET_NAME.test(file) ? await readOrNull(join(dir, file)) : null;
    if (body === null) {
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No console file ${file}.` } });
    }
    const type = types[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    return secureHeaders(reply).header('cache-control', 'no-cache').type(type).send(body);
  });
}
