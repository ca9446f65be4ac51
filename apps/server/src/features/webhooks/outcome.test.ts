import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { OutboundError, type OutboundResponse } from '../../lib/outbound/index.ts';
import { outcomeOfError, outcomeOfResponse } from './outcome.ts';

const now = new Date('2026-03-02T10:00:00Z');
const answer = (status: number, body = '', headers: Record<string, string> = {}): OutboundResponse => ({
  status,
  headers,
  body: Buffer.from(body),
  latencyMs: 12,
  url: 'http://127.0.0.1/hook',
});

test('a 2xx is delivered; its answer is kept up to 4 KB', () => {
  const outcome = outcomeOfResponse(answer(204, 'é'.repeat(3000)), now);
  assert.equal(outcome.delivered, true);
  assert.equal(outcome.error, null);
  assert.equal(Buffer.byteLength(outcome.responseExcerpt ?? ''), 4096);
});

test('other statuses fail with HTTP_<status>; 410 is gone; Retry-After only counts on 429 and 503', () => {
  const failed = outcomeOfResponse(answer(500, 'boom', { 'retry-after': '60' }), now);
  assert.deepEqual(
    [failed.delivered, failed.error?.class, failed.error?.code],
    [false, 'http_status', 'HTTP_500'],
  );
  assert.equal(failed.retryAfterMs, null);
  assert.equal(failed.responseExcerpt, 'boom');
  assert.equal(outcomeOfResponse(answer(429, '', { 'retry-after': '60' }), now).retryAfterMs, 60_000);
  assert.equal(
    outcomeOfResponse(answer(503, '', { 'retry-after': 'Mon, 02 Mar 2026 10:02:00 GMT' }), now).retryAfterMs,
    120_000,
  );
  const gone = outcomeOfResponse(answer(410), now);
  assert.equal(gone.gone, true);
  assert.match(gone.error?.message ?? '', /410 Gone: the webhook is paused/);
});

test('outbound errors map to a class, a redirect keeps its status, anything else is a fault', () => {
  const redirect = outcomeOfError(new OutboundError('REDIRECT', 'moved', { status: 301 }), 5);
  assert.deepEqual(
    [redirect.error?.class, redirect.error?.code, redirect.httpStatus],
    ['redirect', 'REDIRECT', 301],
  );
  assert.equal(outcomeOfError(new OutboundError('TIMEOUT', 'slow'), 5).error?.class, 'timeout');
  assert.equal(
    outcomeOfError(new OutboundError('BLOCKED_TARGET', 'no'), 5).error?.class,
    'refused_by_policy',
  );
  assert.throws(() => outcomeOfError(new TypeError('bug'), 5), TypeError);
});
