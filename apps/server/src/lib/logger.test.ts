/**
 * Request logs through the lazily made per-request logger: what a handler logs carries its request id,
 * keeps redaction, and nests in children, as pino's own child would.
 */
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { createLogger, lazyRequestLogger } from './logger.ts';

async function appLoggingTo(lines: Record<string, unknown>[]) {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const app = Fastify({
    loggerInstance: createLogger('info', destination) as FastifyBaseLogger,
    disableRequestLogging: true,
    childLoggerFactory: lazyRequestLogger,
  });
  app.get('/quiet', async (request) => ({ level: request.log.level }));
  app.get('/warns', async (request) => {
    request.log.warn({ endpoint: { token: 'tok_secret' } }, 'careful');
    request.log.child({ step: 'lookup' }).info('nested');
    request.log.debug('below the level');
    return {};
  });
  await app.ready();
  return app;
}

test('a request that logs gets its request id on every line, children included, and secrets redacted', async () => {
  const lines: Record<string, unknown>[] = [];
  const app = await appLoggingTo(lines);
  await app.inject('/warns');
  await app.inject('/warns');
  await app.close();

  const request = (index: number) => lines.filter((line) => line.reqId === `req-${index}`);
  for (const index of [1, 2]) {
    assert.deepEqual(
      request(index).map((line) => [line.msg, line.level, line.step]),
      [
        ['careful', 40, undefined],
        ['nested', 30, 'lookup'],
      ],
      `request ${index}`,
    );
  }
  assert.deepEqual(lines[0]?.endpoint, { token: '[redacted]' });
  assert.equal(lines.length, 4, 'debug is below the level');
});

test('a request that logs nothing writes nothing and reads the level of the server logger', async () => {
  const lines: Record<string, unknown>[] = [];
  const app = await appLoggingTo(lines);
  const answer = await app.inject('/quiet');
  await app.close();
  assert.deepEqual(answer.json(), { level: 'info' });
  assert.deepEqual(lines, []);
});
