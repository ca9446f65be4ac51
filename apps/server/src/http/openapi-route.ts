/**
 * GET /api/openapi.json. The document (openapi.ts) and its generator are loaded on the first request,
 * not at start-up: a process that is never asked for it never loads zod-to-openapi.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { publicRoute } from '../features/shops/index.ts';

/**
 * Serves the document at GET /api/openapi.json: public (it is documentation), cacheable by clients
 * and proxies with an ETag of its content. Built on the first request, once per app: generating it
 * takes about half a second, which every start and every test app would otherwise pay.
 */
export function registerOpenApiRoute(app: FastifyInstance, options: { version: string }): void {
  let built: { json: string; etag: string } | undefined;
  app.get('/api/openapi.json', publicRoute, async (request, reply) => {
    if (built === undefined) {
      const { buildOpenApiDocument } = await import('./openapi.ts');
      const json = JSON.stringify(buildOpenApiDocument(options));
      built = { json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"` };
    }
    reply.header('etag', built.etag).header('cache-control', 'public, max-age=300');
    const known = request.headers['if-none-match']?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (known?.includes(built.etag) === true) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(built.json);
  });
}
