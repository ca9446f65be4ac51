/**
 * The operations bench/ab/bundle-micro.ts times, one per performance change made while the server ran
 * under tsx. bundle-micro.ts bundles this file once per variant (bundle-variant.ts), so each operation
 * runs the code of that variant as `npm start` would. Each case returns one operation to repeat.
 */
import pino from 'pino';
import { parseCrmAnswer } from '../../packages/contract/src/index.ts';
import customer from '../../packages/contract/src/crm/fixtures/sidePanel_CustomerInfo.full.json' with { type: 'json' };
import { buildCrmRequest } from '../../apps/server/src/features/crm/build-request.ts';
import { lazyRequestLogger } from '../../apps/server/src/lib/logger.ts';
import { dispatchRequest, type DispatchLimits } from '../../apps/server/src/lib/outbound/dispatch.ts';

export type Operation = () => unknown;

/** Fastify's per-request logger, made for a request that logs nothing (most of them). */
function requestLogger(): Operation {
  const parent = pino({ level: 'info' }, pino.destination('/dev/null'));
  let id = 0;
  return () => {
    const log = lazyRequestLogger(parent, { reqId: `req-${++id}` }, {});
    return log.level;
  };
}

/** One exchange through the undici handler, a dispatcher answering at once with a 200 and a body. */
function dispatchHandler(): Operation {
  const rawHeaders = [
    Buffer.from('content-type'),
    Buffer.from('application/json'),
    Buffer.from('content-length'),
    Buffer.from('2'),
  ];
  const body = Buffer.from('{}');
  const dispatcher = {
    dispatch(_options: unknown, handler: Record<string, (...args: unknown[]) => unknown>) {
      handler.onConnect?.(() => undefined);
      handler.onHeaders?.(200, rawHeaders, () => undefined, 'OK');
      handler.onData?.(body);
      handler.onComplete?.([]);
      return true;
    },
  };
  const limits: DispatchLimits = {
    timeoutMs: 10_000,
    onTimeout: () => new Error('timeout'),
    refuse: () => undefined,
    maxBytes: 1 << 20,
    tooLarge: () => new Error('too large'),
  };
  const options = { origin: 'http://127.0.0.1:1', path: '/crm/customer', method: 'GET' };
  // dispatchRequest types its dispatcher as undici's; this one implements the part it calls.
  return () => dispatchRequest(dispatcher as never, options, limits);
}

/** The signed GET request of a customer lookup. */
function crmRequest(): Operation {
  const now = new Date('2026-03-02T10:00:00Z');
  return () =>
    buildCrmRequest({
      url: 'http://127.0.0.1:4000/crm/customer',
      method: 'GET',
      credentials: { token: 'tok-4f1a9c' },
      params: { phone: '+34655123987', relatedphones: [] },
      signingSecret: 'signing-secret-9d1f22',
      now,
      version: '0.1.0',
    });
}

/** The fake CRM's answer (the contract's full reference customer), read as a lookup reads it. */
function customerAnswer(): Operation {
  const text = JSON.stringify(customer);
  return () => parseCrmAnswer('sidePanel_CustomerInfo', JSON.parse(text));
}

export const cases: Record<string, () => Operation> = {
  'request logger': requestLogger,
  'undici handler': dispatchHandler,
  'CRM request': crmRequest,
  'CRM answer read': customerAnswer,
};
