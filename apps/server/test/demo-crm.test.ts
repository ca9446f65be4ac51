// The demo CRM (examples/demo-crm) as an integrator's CRM: every answer is one Parley reads without
// a warning, GET and POST agree, and the signature and token checks refuse what they should.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import {
  crmEndpointDefinition,
  crmEndpointTypes,
  parseCrmAnswer,
  type CrmAnswerResult,
  type CrmEndpointType,
} from '@parley/contract';
import { signCrmRequest } from '@parley/webhooks';
import { customers as demoCustomers } from '../../../examples/demo-crm/dataset.ts';
import { demoCrmEndpoints } from '../../../examples/demo-crm/endpoints.ts';
import { startDemoCrm, type DemoCrm } from '../../../examples/demo-crm/server.ts';
import { parsePhoneNumber } from '../src/lib/phone-number.ts';

const LUCIA = '+34655123987';
const LUCIA_WORK = '+34911222333';
const JAMES = '+447911123456';
const SECRET = 'demo-signing-secret-3f9a';
const TOKEN = 'demo-token-81c2';

type Params = Record<string, string | number | string[]>;

interface CallOptions {
  method?: 'GET' | 'POST';
  /** Sign with this secret; unsigned when absent. */
  secret?: string;
  /** Unix seconds of the signature; now by default. */
  timestamp?: number;
  /** Changes the request after signing it. */
  tamper?: (request: { target: string; body: string }) => { target: string; body: string };
}

/** Sends params the way Parley does: a GET query with comma-separated lists, or a POST JSON object. */
async function call(crm: DemoCrm, type: string, params: Params, options: CallOptions = {}) {
  const { method = 'GET', secret, timestamp = Math.floor(Date.now() / 1000), tamper = (r) => r } = options;
  const query = new URLSearchParams(
    Object.entries(params).map(([name, value]): [string, string] => [
      name,
      Array.isArray(value) ? value.join(',') : String(value),
    ]),
  );
  const signed = {
    target: method === 'GET' ? `/crm/${type}?${query}` : `/crm/${type}`,
    body: method === 'GET' ? '' : JSON.stringify(params),
  };
  const headers =
    secret === undefined
      ? {}
      : signCrmRequest({ secret, timestamp, method, pathAndQuery: signed.target, body: signed.body });
  const sent = tamper(signed);
  const response = await fetch(`${crm.url}${sent.target}`, {
    method,
    headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: sent.body } : {}),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The parsed answer, which must have no errors and no warnings. */
function clean<T>(result: CrmAnswerResult<T>): T {
  if (!result.ok) return assert.fail(`expected no errors, got ${JSON.stringify(result.errors)}`);
  assert.deepEqual(result.warnings, []);
  return result.value;
}

async function answerOf<T extends CrmEndpointType>(
  crm: DemoCrm,
  type: T,
  params: Params,
  options?: CallOptions,
) {
  const { status, json } = await call(crm, type, params, options);
  assert.equal(status, 200, JSON.stringify(json));
  return clean(parseCrmAnswer(type, json));
}

/** A request of each type that finds something. */
const findingParams: Record<CrmEndpointType, Params> = {
  sidePanel_CustomerInfo: { phone: LUCIA, relatedphones: [] },
  ai_CustomerInitialInfo: { phone: LUCIA },
  sidePanel_CustomerFindToJoin: { query: 'lucia', phone: LUCIA },
  search_Products: { query: 'trail', limit: 5 },
  globalSearch: { query: 'TRS-39', limit: 10 },
  verify_conversion: { phone: LUCIA, since: '2026-01-01T00:00:00Z' },
};

let open: DemoCrm;
let guarded: DemoCrm;
before(async () => {
  open = await startDemoCrm({ port: 0, host: '127.0.0.1' });
  guarded = await startDemoCrm({ port: 0, host: '127.0.0.1', signingSecret: SECRET, token: TOKEN });
});
after(async () => {
  await open.close();
  await guarded.close();
});

describe('answers', () => {
  for (const type of crmEndpointTypes) {
    test(`${type}: found, valid, the same by GET and POST`, async () => {
      const byGet = await call(open, type, findingParams[type]);
      const byPost = await call(open, type, findingParams[type], { method: 'POST' });
      assert.equal(byGet.status, 200);
      assert.deepEqual(byPost, byGet);
      const answer = clean(parseCrmAnswer(type, byGet.json));
      assert.equal(answer.found, true);
    });
  }

  test('sidePanel_CustomerInfo: the whole profile, tracking as one object or a list, notes as text or a list', async () => {
    const { customers } = await answerOf(open, 'sidePanel_CustomerInfo', { phone: LUCIA });
    assert.equal(customers.length, 1);
    const [lucia] = customers;
    assert.equal(lucia?.name, 'Lucía Fernández Ortega');
    assert.deepEqual(lucia?.metrics, {
      ordersCount: 7,
      totalSpent: 612.4,
      totalRefunded: 39.9,
      totalDiscounts: 18,
      loyaltyPoints: 1240,
      currency: 'EUR',
    });
    assert.deepEqual(lucia?.tags, ['vip', 'running', 'newsletter']);
    assert.equal(lucia?.notes.length, 3);
    assert.deepEqual(
      lucia?.links.map((link) => link.label),
      ['Invoices', 'Support tickets'],
    );
    assert.equal(lucia?.address, 'Calle de Alcalá 120, 3º B, 28009, Madrid, ES');
    assert.deepEqual(lucia?.extra, { preferredLanguage: 'es' });
    assert.deepEqual(
      lucia?.orders[0]?.tracking.map((t) => t.number),
      ['SE123456789ES'],
    );
    assert.deepEqual(
      lucia?.orders[0]?.items.map((item) => item.sku),
      ['TRS-39-BLU', 'SOX-M-2'],
    );
    assert.deepEqual(
      lucia?.abandonedCarts.map((cart) => cart.amount),
      [54.5],
    );

    const james = (await answerOf(open, 'sidePanel_CustomerInfo', { phone: JAMES })).customers[0];
    assert.deepEqual(
      james?.orders[0]?.tracking.map((t) => t.company),
      ['Royal Mail', 'DHL Express'],
    );

    const work = (await answerOf(open, 'sidePanel_CustomerInfo', { phone: LUCIA_WORK })).customers[0];
    assert.equal(work?.notes.length, 1);
    assert.deepEqual(work?.tags, ['b2b', 'monthly-invoice']);
    assert.equal(work?.metrics.totalSpent, 479.6);
  });

  test('an unknown phone is {"found": false, "customers": []}', async () => {
    for (const type of ['sidePanel_CustomerInfo', 'ai_CustomerInitialInfo'] as const) {
      assert.deepEqual(await call(open, type, { phone: '+34600000000' }), {
        status: 200,
        json: { found: false, customers: [] },
      });
    }
  });

  test('relatedphones: the linked phones’ customers follow the chat’s own, by GET list or POST array', async () => {
    const params = { phone: LUCIA, relatedphones: [JAMES, LUCIA_WORK, '+34600000000'] };
    for (const method of ['GET', 'POST'] as const) {
      const { customers } = await answerOf(open, 'sidePanel_CustomerInfo', params, { method });
      assert.deepEqual(
        customers.map((customer) => customer.phone),
        [LUCIA, JAMES, LUCIA_WORK],
      );
    }
  });

  test('ai_CustomerInitialInfo: one customer as "customer", several as "customers", with context', async () => {
    const one = await call(open, 'ai_CustomerInitialInfo', { phone: LUCIA });
    assert.equal((one.json.customer as { name: string }).name, 'Lucía Fernández Ortega');
    const single = clean(parseCrmAnswer('ai_CustomerInitialInfo', one.json));
    assert.equal(
      single.customers[0]?.lastOrder?.tracking[0]?.url,
      'https://tracking.example-carrier.com/SE123456789ES',
    );
    assert.match(single.context ?? '', /Prefers replies in Spanish/);

    const both = await answerOf(open, 'ai_CustomerInitialInfo', { phone: LUCIA, relatedphones: [JAMES] });
    assert.deepEqual(
      both.customers.map((customer) => customer.name),
      ['Lucía Fernández Ortega', "James O'Connor"],
    );
    assert.equal(both.context?.split('\n').length, 2);
  });

  test('searches take words in any order, ignore case and accents, find phones by digits and products by variant SKU', async () => {
    const byName = await answerOf(open, 'sidePanel_CustomerFindToJoin', {
      query: 'LUCIA fernandez',
      phone: JAMES,
    });
    assert.deepEqual(
      byName.customers.map((customer) => customer.id),
      ['48213', '50877'],
    );
    const byPhone = await answerOf(open, 'sidePanel_CustomerFindToJoin', { query: '655 123', phone: JAMES });
    assert.deepEqual(
      byPhone.customers.map((customer) => customer.name),
      ['Lucía Fernández Ortega'],
    );
    const byWords = await answerOf(open, 'sidePanel_CustomerFindToJoin', {
      query: 'ortega lucía',
      phone: JAMES,
    });
    assert.deepEqual(
      byWords.customers.map((customer) => customer.id),
      ['48213'],
    );
    const byVariant = await answerOf(open, 'search_Products', { query: 'trs-gtx-44', limit: 5 });
    assert.deepEqual(
      byVariant.products.map((product) => product.id),
      ['P-1108'],
    );
    assert.equal(byVariant.products[0]?.variants.length, 2);

    const everything = await answerOf(open, 'globalSearch', { query: 'TRS-39', limit: 10 });
    assert.deepEqual(
      everything.results.map((result) => [result.type, result.title]),
      [
        ['order', '#EX-2026-0311'],
        ['product', 'Trail running shoes'],
      ],
    );
    const limited = await answerOf(open, 'search_Products', { query: 'trail', limit: 1 });
    assert.equal(limited.products.length, 1);
  });

  test('a search that finds nothing is found: false', async () => {
    assert.deepEqual((await call(open, 'search_Products', { query: 'kayak', limit: 5 })).json, {
      found: false,
      products: [],
    });
    assert.deepEqual(
      (await call(open, 'sidePanel_CustomerFindToJoin', { query: 'nobody', phone: LUCIA })).json,
      {
        found: false,
        customers: [],
      },
    );
  });

  test('verify_conversion: orders since the date, converted when there is one', async () => {
    const recent = await answerOf(open, 'verify_conversion', { phone: LUCIA, since: '2026-01-01T00:00:00Z' });
    assert.deepEqual(
      [recent.found, recent.converted, recent.orders.map((order) => order.name)],
      [true, true, ['#EX-2026-0311']],
    );
    const none = await answerOf(open, 'verify_conversion', { phone: LUCIA, since: '2026-03-01T00:00:00Z' });
    assert.deepEqual([none.found, none.converted, none.orders], [true, false, []]);
    const unknown = await answerOf(open, 'verify_conversion', { phone: '+34600000000', since: '2026-01-01' });
    assert.deepEqual([unknown.found, unknown.converted], [false, false]);
  });

  test('a missing or malformed parameter, an unknown path or method: JSON errors that say why', async () => {
    const cases = [
      [
        await call(open, 'sidePanel_CustomerInfo', {}),
        400,
        'INVALID_PARAMETER',
        /"phone" parameter is required/,
      ],
      [
        await call(open, 'verify_conversion', { phone: LUCIA, since: 'yesterday' }),
        400,
        'INVALID_PARAMETER',
        /ISO 8601/,
      ],
      [await call(open, 'search_Products', { query: 'x', limit: 'ten' }), 400, 'INVALID_PARAMETER', /limit/],
      [await call(open, 'customer', { phone: LUCIA }), 404, 'NOT_FOUND', /\/crm\/sidePanel_CustomerInfo/],
      [
        await call(
          open,
          'globalSearch',
          { query: 'x' },
          { method: 'POST', tamper: (r) => ({ ...r, body: '[1]' }) },
        ),
        400,
        'INVALID_JSON',
        /JSON object/,
      ],
    ] as const;
    for (const [reply, status, code, message] of cases) {
      assert.equal(reply.status, status, JSON.stringify(reply.json));
      const error = reply.json.error as { code: string; message: string };
      assert.equal(error.code, code);
      assert.match(error.message, message);
    }
    const put = await fetch(`${open.url}/crm/globalSearch`, { method: 'PUT' });
    assert.equal(put.status, 405);
  });
});

describe('signature and token', () => {
  const params = { phone: LUCIA, token: TOKEN };

  test('a signed call with the token is answered, by GET and by POST', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const { customers } = await answerOf(guarded, 'sidePanel_CustomerInfo', params, {
        method,
        secret: SECRET,
      });
      assert.equal(customers[0]?.name, 'Lucía Fernández Ortega');
    }
  });

  test('forged, altered or replayed calls get 401 with the reason', async () => {
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const refusals = [
      ['unsigned', {}, 'MISSING_HEADER'],
      ['wrong secret', { secret: 'another-secret' }, 'NO_MATCHING_SIGNATURE'],
      ['replayed an hour later', { secret: SECRET, timestamp: hourAgo }, 'TIMESTAMP_TOO_OLD'],
      [
        'query changed after signing',
        { secret: SECRET, tamper: (r) => ({ ...r, target: r.target.replace('655123987', '911222333') }) },
        'NO_MATCHING_SIGNATURE',
      ],
      [
        'body changed after signing',
        {
          method: 'POST',
          secret: SECRET,
          tamper: (r) => ({ ...r, body: r.body.replace('655123987', '911222333') }),
        },
        'NO_MATCHING_SIGNATURE',
      ],
    ] as const satisfies ReadonlyArray<readonly [string, CallOptions, string]>;
    for (const [what, options, code] of refusals) {
      const reply = await call(guarded, 'sidePanel_CustomerInfo', params, options);
      assert.equal(reply.status, 401, what);
      assert.equal((reply.json.error as { code: string }).code, code, what);
      assert.match((reply.json.error as { message: string }).message, /request_signing_secret/, what);
    }
  });

  test('a signed call without the right token gets 401 INVALID_TOKEN', async () => {
    for (const [what, token] of [
      ['missing', undefined],
      ['wrong', 'demo-token-0000'],
    ] as const) {
      const reply = await call(
        guarded,
        'sidePanel_CustomerInfo',
        { phone: LUCIA, ...(token === undefined ? {} : { token }) },
        { secret: SECRET },
      );
      assert.equal(reply.status, 401, what);
      const error = reply.json.error as { code: string; message: string };
      assert.equal(error.code, 'INVALID_TOKEN', what);
      assert.match(error.message, new RegExp(`"token" parameter is ${what}`));
    }
  });
});

test('the printed endpoint definitions are valid add_crm_endpoint arguments for the paths it serves', () => {
  const definitions = demoCrmEndpoints(open.url, TOKEN).map((definition) =>
    crmEndpointDefinition.parse(definition),
  );
  assert.deepEqual(
    definitions.map(({ type, url, method, token }) => [type, url, method, token]),
    crmEndpointTypes.map((type) => [type, `${open.url}/crm/${type}`, 'GET', TOKEN]),
  );
});

test('every demo customer has a phone Parley accepts as it is, so agents can open and link their chats', async () => {
  for (const { name, phone } of demoCustomers) {
    assert.deepEqual(await parsePhoneNumber(phone), { ok: true, e164: phone }, name);
  }
});
