// When a CRM answer is read, relative to the other outbound calls of the same event-loop turn.
import { strict as assert } from 'node:assert';
import diagnostics from 'node:diagnostics_channel';
import { after, before, test } from 'node:test';
import { afterPendingIo } from '../../lib/after-pending-io.ts';
import { systemClock } from '../../lib/clock.ts';
import { createOutboundHttp, parseAllowList, type OutboundHttp } from '../../lib/outbound/index.ts';
import { startServer, type TestServer } from '../../lib/outbound/test-support.ts';
import { startFakeCrm, type FakeCrm } from '../../../test/helpers/fake-crm.ts';
import { createCrmGate } from './crm-gate.ts';
import { exchangeWithCrm, prepareTarget } from './exchange.ts';

let crm: FakeCrm;
let other: TestServer;
let outbound: OutboundHttp;
before(async () => {
  [crm, other] = await Promise.all([startFakeCrm(), startServer((_req, res) => res.end('ok'))]);
  outbound = createOutboundHttp({ allow: parseAllowList('127.0.0.1') });
});
after(async () => {
  await outbound.close();
  await Promise.all([crm.close(), other.close()]);
});

interface UndiciMessage {
  request: { origin: string; path: string };
}

test('a CRM answer is read after the calls started in its turn are sent', async () => {
  // A kept-alive idle connection to `other`: undici writes a request on it after the poll phase only.
  await outbound.request({ url: other.url('/warm'), method: 'GET' });
  await afterPendingIo();

  const events: string[] = [];
  let next: Promise<unknown> | undefined;
  // Another call starts in the very turn whose I/O completes the CRM's answer (another agent's lookup).
  const crmOrigin = new URL(crm.url()).origin;
  const onComplete = (message: unknown) => {
    if ((message as UndiciMessage).request.origin === crmOrigin) {
      next = outbound.request({ url: other.url('/next'), method: 'GET' });
    }
  };
  const onWrite = (message: unknown) => {
    if ((message as UndiciMessage).request.path === '/next') events.push('/next sent');
  };
  diagnostics.subscribe('undici:request:trailers', onComplete);
  diagnostics.subscribe('undici:client:sendHeaders', onWrite);
  try {
    const target = prepareTarget({
      url: crm.urlFor('sidePanel_CustomerInfo'),
      method: 'GET',
      timeoutMs: 5_000,
      credentials: {},
      signingSecret: 'test-signing-secret',
    });
    const exchange = await exchangeWithCrm(
      { outbound, clock: systemClock, version: 'test', crmGate: createCrmGate() },
      'shop_test',
      target,
      'sidePanel_CustomerInfo',
      { phone: '+34655123987', relatedphones: [] },
    );
    events.push('answer read');
    assert.equal(exchange.status === 'ran' && exchange.value.result.ok, true);
    await next;
  } finally {
    diagnostics.unsubscribe('undici:request:trailers', onComplete);
    diagnostics.unsubscribe('undici:client:sendHeaders', onWrite);
  }
  assert.deepEqual(events, ['/next sent', 'answer read']);
});
