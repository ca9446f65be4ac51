/**
 * The one HTTP error mapper. AppErrors answer with their code and status; Fastify's own client
 * errors (bad JSON, body too large, wrong content type, a malformed or too long URL, headers too
 * large) get stable codes in the same shape; anything else is a fault: logged with its stack and
 * answered 500 without internals.
 */
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiErrorBody } from '@parley/contract';
import { isDatabaseUnavailable, unavailableReason } from '../db/availability.ts';
import { isAppError } from '../lib/errors.ts';
import { parseInput } from '../lib/validation.ts';

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

/** Longest path parameter the router accepts (Fastify's maxParamLength); ids are far shorter. */
export const MAX_PATH_PARAM_CHARS = 200;

/**
 * Fastify's `frameworkErrors`: refusals made by the router before any route runs. The messages
 * never repeat the URL, which may be as long as the server accepts.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const body: ApiErrorBody = {
      error: {
        code: 'URI_TOO_LONG',
        message: `A path segment is longer than ${MAX_PATH_PARAM_CHARS} characters; no id is that long.`,
      },
    };
    return reply.code(414).send(body);
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    const body: ApiErrorBody = {
      error: {
        code: 'BAD_URL',
        message: 'The URL path is not valid percent-encoded UTF-8; encode it with encodeURIComponent.',
      },
    };
    return reply.code(400).send(body);
  }
  return reply.send(error);
}

const clientErrorAnswers: Record<string, { status: number; body: ApiErrorBody }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    body: {
      error: {
        code: 'HEADERS_TOO_LARGE',
        message:
          'The request headers are larger than this server accepts (16 KiB); send fewer or shorter headers.',
      },
    },
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    body: { error: { code: 'REQUEST_TIMEOUT', message: 'The request took too long to arrive.' } },
  },
};
const malformedRequest: { status: number; body: ApiErrorBody } = {
  status: 400,
  body: { error: { code: 'BAD_REQUEST', message: 'The request is not valid HTTP/1.1.' } },
};

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before Fastify sees a request
 * (headers too large, malformed HTTP) is answered on the socket in the same shape.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } =
    (error.code === undefined ? undefined : clientErrorAnswers[error.code]) ?? malformedRequest;
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

const pathParams = z.record(z.string(), z.string());

async function checkPathParams(request: FastifyRequest): Promise<void> {
  parseInput(pathParams, request.params, 'path');
}

const databaseUnavailableBody: ApiErrorBody = {
  error: {
    code: 'DATABASE_UNAVAILABLE',
    message:
      'The database cannot be reached right now (docs/operations.md). Try again in a few seconds; GET /health says when it is back.',
  },
};

export function registerErrorHandling(app: FastifyInstance): void {
  // Path parameters reach queries as they are (a link id, an agent id): they pass the same
  // boundary check as bodies and query strings, so a NUL is a 400 naming the parameter. Only
  // routes with parameters get the hook; the others pay nothing for it.
  app.addHook('onRoute', (route) => {
    if (!route.url.includes(':')) return;
    const own = route.preValidation;
    route.preValidation = [
      checkPathParams,
      ...(own === undefined ? [] : Array.isArray(own) ? own : [own]),
    ] as typeof route.preValidation;
  });

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
    if (isDatabaseUnavailable(error)) {
      // An outage, not a fault: the reason only (a failed statement's message would carry its values).
      request.log.warn({ reason: unavailableReason(error) }, 'database unavailable; answered 503');
      return reply.code(503).header('retry-after', '5').send(databaseUnavailableBody);
    }
    request.log.error({ err: error }, 'unhandled error');
    const body: ApiErrorBody = {
      error: { code: 'INTERNAL', message: 'Internal server error; the details are in the server log.' },
    };
    return reply.code(500).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    // The path as sent, cut: a request line may be 16 KiB long.
    const path = request.url.split('?', 1)[0] ?? '';
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    const body: ApiErrorBody = {
      error: { code: 'NOT_FOUND', message: `No route ${request.method} ${shown}.` },
    };
    return reply.code(404).send(body);
  });
}
