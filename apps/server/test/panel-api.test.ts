/**
 * The side-panel API over HTTP (docs/side-panel.md) against a real fake CRM on loopback: phone input, the
 * cache and its refresh, coalescing, links reaching the CRM as `relatedphones`, the status vocabulary,
 * search, who may call what, and the lookup audit.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import {
  crmEndpointDefinition,
  customerLookupResponse,
  MAX_LINKS_PER_CHAT,
  panelAuditResponse,
  panelSearchResponse,
  type CrmEndpointType,
} from '@parley/contract';
import { applyCrmEndpointChange } from '../src/features/crm/index.ts';
import {
  crmFixtures,
  crmNotFoundFixture,
  startFakeCrm,
  type FakeCrm,
  type FakeCrmRequest,
} from './helpers/fake-crm.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let crm: FakeCrm;

before(async () => {
  t = await startTestApp();
  crm = await startFakeCrm();
});
after(async () => {
  await t.close();
  await crm.close();
});

const LUCIA = '+34655123987';

async function configure(shopId: string, type: CrmEndpointType, path = `/crm/${type}`) {
  await applyCrmEndpointChange(t.deps, shopId, {
    add: crmEndpointDefinition.parse({ type, url: crm.url(path) }),
  });
}

/** A shop whose sidePanel_CustomerInfo endpoint is a path of its own on the fake CRM. */
async function shopWithCustomerEndpoint(path: string) {
  const shop = await t.createShop();
  await configure(shop.shopId, 'sidePanel_CustomerInfo', path);
  crm.answer(path, { json: crmFixtures.sidePanel_CustomerInfo });
  return shop;
}

const requestsTo = (path: string): FakeCrmRequest[] => crm.requests.filter((r) => r.path === path);

async function get(token: string, url: string) {
  const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

async function lookup(token: string, phone: string, extra = '') {
  const response = await get(token, `/api/panel/customer?phone=${encodeURIComponent(phone)}${extra}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return customerLookupResponse.parse(response.body);
}

async function createAgent(token: string, nickname: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/agents',
    headers: { authorization: `Bearer ${token}` },
    payload: { nickname, name: nickname },
  });
  assert.equal(response.statusCode, 201);
  const body = response.json() as { agent: { id: string }; token: string };
  return { agentId: body.agent.id, token: body.token };
}

describe('phone input', () => {
  test('the forms an agent may send all look up the same E.164 number', async () => {
    const path = '/crm/phones';
    const { token } = await shopWithCustomerEndpoint(path);
    for (const input of ['+34 655 12 39 87', '0034655123987', '655123987']) {
      const answer = await lookup(token, input, '&refresh=1');
      assert.equal(answer.phone, LUCIA, input);
      assert.equal(answer.status, 'found');
    }
    assert.deepEqual(
      requestsTo(path).map((r) => r.query.get('phone')),
      [LUCIA, LUCIA, LUCIA],
    );
  });

  test("a national number is read with the shop's own country", async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/shops',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { name: 'Tienda MX', country: 'MX' },
    });
    const { shop, token } = created.json() as { shop: { id: string }; token: string };
    const path = '/crm/mexico';
    await configure(shop.id, 'sidePanel_CustomerInfo', path);
    assert.equal((await lookup(token, '55 1234 5678')).phone, '+525512345678');
    assert.equal(requestsTo(path)[0]?.query.get('phone'), '+525512345678');
  });

  test('garbage is a 400 INVALID_PHONE that says what to send; a missing phone names the field', async () => {
    const { token } = await t.createShop();
    const bad = await get(token, '/api/panel/customer?phone=abc');
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body), ['error']);
    const error = bad.body.error as { code: string; message: string };
    assert.equal(error.code, 'INVALID_PHONE');
    assert.match(error.message, /"abc" is not a usable phone number \(it is not a phone number\)/);
    assert.match(error.message, /E\.164, such as \+34612345678/);
    assert.match(error.message, /national number of the shop's country \(ES\)/);

    const short = await get(token, '/api/panel/customer?phone=%2B3412');
    assert.match((short.body.error as { message: string }).message, /too short/);

    const missing = await get(token, '/api/panel/customer');
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error, {
      code: 'VALIDATION_FAILED',
      message: 'Invalid query string: phone: is required',
    });
  });
});

describe('cache and coalescing', () => {
  test('100 concurrent lookups of one uncached phone make exactly one CRM call', async () => {
    const path = '/crm/coalesce';
    const { token } = await shopWithCustomerEndpoint(path);
    // Warm the token and the shop's links, so every request below goes straight to the lookup.
    await lookup(token, '+34600000001');
    const { reached: crmReached, release } = crm.hold(path, crmFixtures.sidePanel_CustomerInfo);
    const callsBefore = requestsTo(path).length;

    const lookups = Array.from({ length: 100 }, () => lookup(token, LUCIA));
    await crmReached;
    // Every lookup is in flight: none has answered, since the CRM has not.
    release();
    const answers = await Promise.all(lookups);

    assert.equal(requestsTo(path).length - callsBefore, 1);
    // No answer came from the cache: all 100 shared the one call in flight.
    assert.deepEqual(
      new Set(answers.map((a) => `${a.status} cached=${a.cached}`)),
      new Set(['found cached=false']),
    );
  });

  test('a second lookup is served from the cache; refresh=1 asks the CRM again', async () => {
    const path = '/crm/cache';
    const { token } = await shopWithCustomerEndpoint(path);
    const first = await lookup(token, LUCIA);
    assert.equal(first.cached, false);
    assert.equal(requestsTo(path).length, 1);

    t.clock.advance(30_000);
    const second = await lookup(token, LUCIA);
    assert.equal(second.cached, true);
    assert.equal(second.fetched_at, first.fetched_at, 'the cached answer says when it was fetched');
    assert.deepEqual(second.customers, first.customers);
    assert.equal(requestsTo(path).length, 1);

    const refreshed = await lookup(token, LUCIA, '&refresh=1');
    assert.equal(refreshed.cached, false);
    assert.equal(refreshed.fetched_at, t.clock.now().toISOString());
    assert.equal(requestsTo(path).length, 2);
  });

  test('the cache is per shop: the same phone in another shop is its own lookup', async () => {
    const path = '/crm/per-shop';
    const one = await shopWithCustomerEndpoint(path);
    const two = await shopWithCustomerEndpoint(path);
    await lookup(one.token, LUCIA);
    const other = await lookup(two.token, LUCIA);
    assert.equal(other.cached, false);
    assert.equal(requestsTo(path).length, 2);
  });
});

describe('links', () => {
  test('a link reaches the CRM as relatedphones, is listed, and changing links clears the cache', async () => {
    const path = '/crm/links';
    const { token } = await shopWithCustomerEndpoint(path);
    await lookup(token, LUCIA);
    assert.equal(requestsTo(path)[0]?.query.get('relatedphones'), null, 'no links, no relatedphones');

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/panel/links',
      headers: { authorization: `Bearer ${token}` },
      payload: { phone: LUCIA, customer: { id: 48213, phone: '611 22 33 44', name: 'Lucía (work)' } },
    });
    assert.equal(created.statusCode, 201);
    const { link, created: isNew } = created.json() as { link: Record<string, unknown>; created: boolean };
    assert.equal(isNew, true);
    assert.deepEqual(link.customer, {
      id: '48213',
      phone: '+34611223344',
      name: 'Lucía (work)',
      email: null,
    });
    assert.deepEqual(link.created_by, { kind: 'shop', agent_id: null });

    const afterLink = await lookup(token, LUCIA);
    assert.equal(afterLink.cached, false, 'the link changed the request, so the cached answer is not used');
    assert.deepEqual(afterLink.linked_phones, ['+34611223344']);
    assert.equal(requestsTo(path)[1]?.query.get('relatedphones'), '+34611223344');

    // The same customer again: the link is updated, not duplicated, and the cache is cleared again.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/panel/links',
      headers: { authorization: `Bearer ${token}` },
      payload: { phone: LUCIA, customer: { id: '48213', phone: '+34611223355' } },
    });
    assert.equal(again.statusCode, 200);
    assert.equal((again.json() as { created: boolean }).created, false);
    t.clock.advance(1_000);
    await t.app.inject({
      method: 'POST',
      url: '/api/panel/links',
      headers: { authorization: `Bearer ${token}` },
      payload: { phone: LUCIA, customer: { email: 'lucia@example.es' } },
    });

    const listed = await get(token, `/api/panel/links?phone=${encodeURIComponent(LUCIA)}`);
    assert.equal(listed.status, 200);
    const links = listed.body.links as Array<{ id: string; customer: { phone: string | null } }>;
    assert.deepEqual(
      links.map((l) => l.customer.phone),
      ['+34611223355', null],
    );
    assert.deepEqual(listed.body.linked_phones, ['+34611223355']);

    await lookup(token, LUCIA);
    assert.equal(requestsTo(path)[2]?.query.get('relatedphones'), '+34611223355');

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/panel/links/${links[0]?.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(removed.statusCode, 204);
    const afterUnlink = await lookup(token, LUCIA);
    assert.equal(afterUnlink.cached, false);
    assert.deepEqual(afterUnlink.linked_phones, []);
    assert.equal(requestsTo(path)[3]?.query.get('relatedphones'), null);
    assert.equal(requestsTo(path).length, 4);
  });

  test(`a chat takes at most ${MAX_LINKS_PER_CHAT} links; linking one of them again still works`, async () => {
    const { token } = await t.createShop();
    const link = (id: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/panel/links',
        headers: { authorization: `Bearer ${token}` },
        payload: { phone: LUCIA, customer: { id } },
      });
    for (let id = 1; id <= MAX_LINKS_PER_CHAT; id++) assert.equal((await link(id)).statusCode, 201);
    const tooMany = await link(MAX_LINKS_PER_CHAT + 1);
    assert.equal(tooMany.statusCode, 409);
    assert.equal((tooMany.json() as { error: { code: string } }).error.code, 'TOO_MANY_LINKS');
    assert.match(tooMany.body, /remove one first/);
    assert.equal((await link(1)).statusCode, 200);
  });

  test('a link needs an id, phone or email of the customer; its phones must be real', async () => {
    const { token } = await t.createShop();
    const post = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: '/api/panel/links',
        headers: { authorization: `Bearer ${token}` },
        payload: payload as Record<string, unknown>,
      });
    const nameOnly = await post({ phone: LUCIA, customer: { name: 'Lucía' } });
    assert.equal(nameOnly.statusCode, 400);
    assert.match(nameOnly.body, /customer: needs at least one of id, phone or email/);
    const badPhone = await post({ phone: LUCIA, customer: { phone: '123' } });
    assert.equal(badPhone.statusCode, 400);
    assert.equal((badPhone.json() as { error: { code: string } }).error.code, 'INVALID_PHONE');
    assert.match(badPhone.body, /customer\.phone: \\"123\\" is not a usable phone number/);
  });
});

describe('statuses', () => {
  test('no endpoint configured: not_configured, with what to do', async () => {
    const { token } = await t.createShop();
    const answer = await lookup(token, LUCIA);
    assert.equal(answer.status, 'not_configured');
    assert.deepEqual(answer.customers, []);
    assert.equal(answer.latency_ms, null);
    assert.equal(answer.error?.code, 'NOT_CONFIGURED');
    assert.match(answer.error?.message ?? '', /update_crm_endpoints/);
  });

  test('not found, then errors until the endpoint is disabled', async () => {
    const path = '/crm/failing';
    const { token } = await shopWithCustomerEndpoint(path);
    crm.answer(path, { json: crmNotFoundFixture });
    const missing = await lookup(token, LUCIA);
    assert.equal(missing.status, 'not_found');
    assert.deepEqual(missing.customers, []);

    crm.answer(path, { status: 500, json: { error: 'database down' } });
    const failed = await lookup(token, LUCIA, '&refresh=1');
    assert.equal(failed.status, 'error');
    assert.equal(failed.error?.code, 'HTTP_STATUS');
    assert.equal(typeof failed.latency_ms, 'number');
    // Five consecutive errors disable the endpoint (docs/crm-endpoints.md#errors-and-health); the panel then
    // says so without calling.
    for (let i = 0; i < 4; i++) await lookup(token, LUCIA, '&refresh=1');
    const calls = requestsTo(path).length;
    const disabled = await lookup(token, LUCIA, '&refresh=1');
    assert.equal(disabled.status, 'disabled');
    assert.equal(disabled.error?.code, 'ENDPOINT_DISABLED');
    assert.equal(requestsTo(path).length, calls);
  });
});

describe('search', () => {
  test('customers, products and global searches reach their endpoint types and come back normalized', async () => {
    const { shopId, token } = await t.createShop();
    for (const type of ['sidePanel_CustomerFindToJoin', 'search_Products', 'globalSearch'] as const) {
      await configure(shopId, type);
    }
    const search = async (query: string) => {
      const response = await get(token, `/api/panel/search?${query}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return panelSearchResponse.parse(response.body);
    };

    const customers = await search('kind=customers&q=luc%C3%ADa&phone=655123987');
    assert.equal(customers.kind, 'customers');
    assert.equal(customers.status, 'found');
    assert.ok(customers.results.length > 0);
    const joinRequest = requestsTo('/crm/sidePanel_CustomerFindToJoin').at(-1);
    assert.equal(joinRequest?.query.get('query'), 'lucía');
    assert.equal(joinRequest?.query.get('phone'), LUCIA);
    assert.equal(joinRequest?.query.get('limit'), null, 'the customers search type takes no limit');

    // A chat phone is only sent with a customer search; elsewhere it is ignored, even when unusable.
    const products = await search('kind=products&q=%20zapatilla%20&limit=5&phone=abc');
    assert.equal(products.kind, 'products');
    assert.equal(products.query, 'zapatilla');
    assert.ok(products.results.length > 0);
    const productRequest = requestsTo('/crm/search_Products').at(-1);
    assert.deepEqual(
      [productRequest?.query.get('query'), productRequest?.query.get('limit')],
      ['zapatilla', '5'],
    );
    assert.equal(productRequest?.query.get('phone'), null);

    const global = await search('kind=global&q=48213');
    assert.equal(global.kind, 'global');
    assert.ok(global.results.length > 0);
    assert.equal(requestsTo('/crm/globalSearch').at(-1)?.query.get('limit'), '10');
  });

  test('a missing query, an unknown kind or a bad limit is a 400 that says what is valid', async () => {
    const { token } = await t.createShop();
    const message = async (query: string) => {
      const response = await get(token, `/api/panel/search?${query}`);
      assert.equal(response.status, 400);
      return (response.body.error as { message: string }).message;
    };
    assert.match(await message('kind=products'), /q: is required/);
    assert.match(await message('kind=products&q=%20'), /q: must not be empty/);
    assert.match(
      await message('kind=orders&q=x'),
      /"orders" is not a search kind; valid kinds: customers, products, global/,
    );
    assert.match(await message('q=x'), /kind: is required; valid kinds: customers, products, global/);
    assert.match(await message('kind=global&q=x&limit=500'), /limit: must be a whole number from 1 to 50/);
  });

  test('a search type without an endpoint answers not_configured', async () => {
    const { token } = await t.createShop();
    const response = await get(token, '/api/panel/search?kind=global&q=x');
    assert.equal(response.status, 200);
    assert.equal(panelSearchResponse.parse(response.body).status, 'not_configured');
  });
});

describe('who may see what', () => {
  test("an agent token looks up and links; another shop's token sees none of it", async () => {
    const path = '/crm/agents';
    const shop = await shopWithCustomerEndpoint(path);
    const agent = await createAgent(shop.token, 'marta');
    const stranger = await t.createShop();

    assert.equal((await lookup(agent.token, LUCIA)).status, 'found');
    const linked = await t.app.inject({
      method: 'POST',
      url: '/api/panel/links',
      headers: { authorization: `Bearer ${agent.token}` },
      payload: { phone: LUCIA, customer: { phone: '+34611223344' } },
    });
    assert.equal(linked.statusCode, 201);
    const { link } = linked.json() as { link: { id: string; created_by: unknown } };
    assert.deepEqual(link.created_by, { kind: 'agent', agent_id: agent.agentId });

    const theirs = await get(stranger.token, `/api/panel/links?phone=${encodeURIComponent(LUCIA)}`);
    assert.deepEqual(theirs.body, { phone: LUCIA, links: [], linked_phones: [] });
    const removeTheirs = await t.app.inject({
      method: 'DELETE',
      url: `/api/panel/links/${link.id}`,
      headers: { authorization: `Bearer ${stranger.token}` },
    });
    assert.equal(removeTheirs.statusCode, 404);
    assert.equal((removeTheirs.json() as { error: { code: string } }).error.code, 'NOT_FOUND');
    const ours = await get(shop.token, `/api/panel/links?phone=${encodeURIComponent(LUCIA)}`);
    assert.equal((ours.body.links as unknown[]).length, 1, 'the other shop removed nothing');

    const strangerAudit = await get(stranger.token, '/api/panel/audit');
    assert.deepEqual(strangerAudit.body, { entries: [] });
  });

  test('no token is 401; an agent may not read the audit (403)', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'pablo');
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/panel/customer?phone=${LUCIA}` });
    assert.equal(anonymous.statusCode, 401);
    const audit = await get(agent.token, '/api/panel/audit');
    assert.equal(audit.status, 403);
    assert.match(
      (audit.body.error as { message: string }).message,
      /needs a shop token; you sent an agent token/,
    );
  });
});

describe('lookup audit', () => {
  test('every lookup is recorded with who, which phone, when and whether the cache answered', async () => {
    const path = '/crm/audit';
    const shop = await shopWithCustomerEndpoint(path);
    const agent = await createAgent(shop.token, 'lola');
    const start = t.clock.now();
    await lookup(agent.token, LUCIA);
    t.clock.advance(1_000);
    await lookup(shop.token, '655 12 39 87');
    t.clock.advance(1_000);
    await lookup(agent.token, '+34600000002');

    const all = panelAuditResponse.parse((await get(shop.token, '/api/panel/audit')).body);
    const at = (ms: number) => new Date(start.getTime() + ms).toISOString();
    assert.deepEqual(all.entries, [
      {
        phone: '+34600000002',
        by: { kind: 'agent', agent_id: agent.agentId },
        status: 'found',
        cached: false,
        at: at(2_000),
      },
      { phone: LUCIA, by: { kind: 'shop', agent_id: null }, status: 'found', cached: true, at: at(1_000) },
      {
        phone: LUCIA,
        by: { kind: 'agent', agent_id: agent.agentId },
        status: 'found',
        cached: false,
        at: at(0),
      },
    ]);

    const onePhone = panelAuditResponse.parse(
      (await get(shop.token, `/api/panel/audit?phone=${encodeURIComponent('655123987')}&limit=1`)).body,
    );
    assert.deepEqual(
      onePhone.entries.map((e) => [e.phone, e.at]),
      [[LUCIA, at(1_000)]],
    );
  });
});
