/**
 * The one HTTP error mapper. AppErrors answer with their code and status; Fastify's own client
 * errors (bad JSON, body too large, wrong content type) get stable codes too; anything else is a
 * fault: logged with its stack and answered 500 without internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ApiErrorBody } from '@parley/contract';
import { isAppError } from '../lib/errors.ts';

const fastifyClientErrors: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'INVALID_JSON',
    message: 'The body is empty; send a JSON object or drop the Content-Type: application/json header.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'BODY_TOO_LARGE',
    message: 'The body is larger than this server accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the body as JSON with Content-Type: application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'INVALID_CONTENT_LENGTH',
    message: 'Content-Length does not match the body.',
  },
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
      if (error.details !== undefined) body.error.details = error.details;
      return reply.code(error.status).send(body);
    }
    const known = error.code === undefined ? undefined : fastifyClientErrors[error.code];
    if (known !== undefined) {
      return reply.code(error.statusCode ?? 400).send({ error: known } satisfies ApiErrorBody);
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      const body: ApiErrorBody = { error: { code: 'BAD_REQUEST', message: error.message } };
      return reply.code(error.statusCode).send(body);
    }
    request.log.error({ err: error }, 'unhandled error');
    const body: ApiErrorBody = {
      error: { code: 'INTERNAL', message: 'Internal server error; the details are in the server log.' },
    };
    return reply.code(500).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ApiErrorBody = {
      error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}.` },
    };
    return reply.code(404).send(body);
  });
}
