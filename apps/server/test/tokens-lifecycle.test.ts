/**
 * The token and agent lifecycle through the public surface (docs/tokens-and-agents.md): the admin's
 * shop routes, the agents' routes and the MCP tools, each with the wrong shop, the wrong principal and
 * bad input; revocations refused at once; a disabled shop's deliveries held; a deleted shop's rows gone.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { defaultSmartFollowupSettings } from '@parley/contract';
import { queryRows } from '../src/db/database.ts';
import { followupRuns, followupSettings } from '../src/db/schema.ts';
import { shopCountry } from '../src/features/shops/index.ts';
import { tokenPrefix } from '../src/lib/tokens.ts';
import { callTool, postMcp, textOf } from './helpers/mcp.ts';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './helpers/test-app.ts';
import { configureWebhook, createTestWorker, mustRecord } from './helpers/webhooks.ts';
import { startWebhookReceiver } from './helpers/webhook-receiver.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ PARLEY_MCP_RATE_LIMIT: '100000' });
});
after(() => t.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function request(method: string, url: string, token: string | undefined, body?: unknown) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.statusCode, body: response.json() as Json, text: response.body };
}

const admin = (method: string, url: string, body?: unknown) => request(method, url, TEST_ADMIN_TOKEN, body);

/** What a shop token may do: list its follow-ups (any shop or agent route would do). */
const works = async (token: string) => (await request('GET', '/api/followups', token)).status === 200;

async function createAgent(token: string, nickname: string, permissions?: string[]) {
  const created = await request('POST', '/api/agents', token, {
    nickname,
    name: `Agent ${nickname}`,
    permissions,
  });
  assert.equal(created.status, 201, created.text);
  return { id: created.body.agent.id as string, token: created.body.token as string };
}

async function toolOk(token: string, name: string, args: Json = {}) {
  const result = await callTool(t.app, token, name, args);
  assert.equal(result.isError, undefined, `${name}: ${textOf(result)}`);
  return { structured: result.structuredContent as Json, raw: result.raw };
}

async function toolError(token: string, name: string, args: Json = {}) {
  const result = await callTool(t.app, token, name, args);
  assert.equal(result.isError, true, `${name} should fail`);
  return textOf(result);
}

/** Every shop and agent route refuses these callers the same way: 401 without a token, 403 with the wrong kind. */
async function assertCallers(
  method: string,
  url: string,
  allowed: 'admin' | 'shop',
  shopToken: string,
  agentToken: string,
) {
  assert.equal((await request(method, url, undefined, {})).status, 401, `${method} ${url} without a token`);
  assert.equal((await request(method, url, 'pk_shop_not-a-real-token-000000000000', {})).status, 401);
  const wrong = allowed === 'admin' ? [shopToken, agentToken] : [TEST_ADMIN_TOKEN, agentToken];
  for (const token of wrong) {
    const refused = await request(method, url, token, {});
    assert.equal(refused.status, 403, `${method} ${url}: ${refused.text}`);
    assert.equal(refused.body.error.code, 'FORBIDDEN');
  }
}

describe('the shop token', () => {
  it('get_api_key describes it without ever showing it, with when it was last used and the MCP URL', async () => {
    const shop = await t.createShop();
    const { structured, raw } = await toolOk(shop.token, 'get_api_key');
    assert.equal(structured.token.prefix, tokenPrefix(shop.token));
    assert.match(structured.token.created_at, /^\d{4}-\d\d-\d\dT/);
    assert.equal(structured.token.last_used_at, t.clock.now().toISOString(), 'this very call used it');
    assert.match(structured.mcp_url, /^http:\/\/127\.0\.0\.1:8787\/api\/mcp$/);
    assert.ok(!raw.includes(shop.token.slice(12)), 'never the token');
    assert.match(await toolError(shop.token, 'get_api_key', { token: 'x' }), /unknown field/);
  });

  it('regenerate_api_key previews, then replaces the token: the old one is refused at once', async () => {
    const shop = await t.createShop();
    assert.match(await toolError(shop.token, 'regenerate_api_key', { shop_id: 'x' }), /unknown field/);
    assert.match(await toolError(shop.token, 'regenerate_api_key', { confirm: 'yes' }), /confirm/);
    assert.match(
      await toolError(shop.token, 'regenerate_api_key', { confirm: true, confirmation_token: 'forged' }),
      /does not match this change/,
    );
    assert.ok(await works(shop.token), 'refused calls changed nothing');
    const preview = await toolOk(shop.token, 'regenerate_api_key');
    assert.equal(preview.structured.status, 'confirmation_required');
    assert.ok(await works(shop.token), 'a preview changes nothing');

    const applied = await toolOk(shop.token, 'regenerate_api_key', {
      confirm: true,
      confirmation_token: preview.structured.confirmation_token,
    });
    const fresh = applied.structured.token as string;
    assert.match(fresh, /^pk_shop_/);
    assert.equal(applied.structured.token_info.prefix, tokenPrefix(fresh));
    assert.equal(await works(shop.token), false, 'the old token is refused');
    const mcp = await callTool(t.app, fresh, 'get_api_key').catch(() => undefined);
    assert.equal(mcp?.isError, undefined, 'the new token works over MCP');
    assert.equal(await works(fresh), true);

    // A preview made before a rotation no longer matches: the token it described is gone.
    const stale = await toolOk(fresh, 'regenerate_api_key');
    await toolOk(fresh, 'regenerate_api_key', { confirm: true });
    assert.equal(await works(fresh), false);
    const rotatedAgain = await admin('POST', `/api/admin/shops/${shop.shopId}/token`);
    const newest = rotatedAgain.body.token as string;
    assert.match(
      await toolError(newest, 'regenerate_api_key', {
        confirm: true,
        confirmation_token: stale.structured.confirmation_token,
      }),
      /does not match this change/,
    );
  });

  it('the admin rotates it; wrong callers, unknown shops and bad ids are refused', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'rotator');
    await assertCallers('POST', `/api/admin/shops/${shop.shopId}/token`, 'admin', shop.token, agent.token);
    assert.ok(await works(shop.token), 'refused callers changed nothing');
    const rotated = await admin('POST', `/api/admin/shops/${shop.shopId}/token`);
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal(await works(shop.token), false);
    assert.equal(await works(rotated.body.token), true);
    assert.equal(await works(agent.token), true, "agents' tokens are their own");
    const missing = await admin('POST', '/api/admin/shops/shop_nope/token');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'NOT_FOUND');
    const nul = await admin('POST', '/api/admin/shops/a%00b/token');
    assert.equal(nul.status, 400);
    assert.equal(nul.body.error.code, 'VALIDATION_FAILED');
  });
});

describe('agents', () => {
  it('are listed with when their token was last used; never a token', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'lister');
    const before = await request('GET', '/api/agents', shop.token);
    assert.equal(before.body.agents[0].last_used_at, null);
    assert.equal(before.body.agents[0].token_prefix, tokenPrefix(agent.token));
    assert.ok(await works(agent.token));
    const listed = await toolOk(shop.token, 'list_agents');
    assert.equal(listed.structured.count, 1);
    assert.equal(listed.structured.agents[0].last_used_at, t.clock.now().toISOString());
    assert.ok(!listed.raw.includes(agent.token.slice(12)));
  });

  it('an update changes what the token may do at once', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'updated');
    assert.ok(await works(agent.token));
    const patched = await request('PATCH', `/api/agents/${agent.id}`, shop.token, { permissions: ['ai'] });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.body.agent.permissions, ['ai']);
    assert.equal((await request('GET', '/api/followups', agent.token)).status, 403, 'panel permission gone');
    const viaMcp = await toolOk(shop.token, 'update_agent', {
      agent_id: agent.id,
      permissions: ['panel'],
      name: 'Renamed',
    });
    assert.equal(viaMcp.structured.agent.name, 'Renamed');
    assert.ok(await works(agent.token), 'granted again at once');
  });

  it('a rotated agent token is refused at once; the new one works', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'rotated');
    assert.ok(await works(agent.token));
    const rotated = await request('POST', `/api/agents/${agent.id}/token`, shop.token);
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal(await works(agent.token), false);
    assert.ok(await works(rotated.body.token));
    assert.equal(rotated.body.agent.token_prefix, tokenPrefix(rotated.body.token));
  });

  it('a deleted agent is refused at once, over REST and MCP (confirmed)', async () => {
    const shop = await t.createShop();
    const one = await createAgent(shop.token, 'one');
    const two = await createAgent(shop.token, 'two');
    assert.ok(await works(one.token));
    const deleted = await request('DELETE', `/api/agents/${one.id}`, shop.token);
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal(await works(one.token), false);
    assert.equal((await request('DELETE', `/api/agents/${one.id}`, shop.token)).status, 404);

    assert.ok(await works(two.token));
    const preview = await toolOk(shop.token, 'delete_agent', { agent_id: two.id });
    assert.equal(preview.structured.status, 'confirmation_required');
    assert.ok(await works(two.token), 'a preview deletes nothing');
    await toolOk(shop.token, 'delete_agent', { agent_id: two.id, confirm: true });
    assert.equal(await works(two.token), false);
    assert.deepEqual((await request('GET', '/api/agents', shop.token)).body.agents, []);
  });

  it('create_agent over MCP returns its token once', async () => {
    const shop = await t.createShop();
    const created = await toolOk(shop.token, 'create_agent', { nickname: 'mcp-made', name: 'Made over MCP' });
    assert.deepEqual(created.structured.agent.permissions, ['panel', 'conversations', 'ai']);
    assert.ok(await works(created.structured.token));
    assert.match(
      await toolError(shop.token, 'create_agent', { nickname: 'mcp-made', name: 'Again' }),
      /already exists/,
    );
  });

  it("another shop's agents do not exist for a shop token, over REST and MCP", async () => {
    const a = await t.createShop();
    const b = await t.createShop();
    const agent = await createAgent(a.token, 'private');
    for (const [method, url, body] of [
      ['PATCH', `/api/agents/${agent.id}`, { name: 'Stolen' }],
      ['POST', `/api/agents/${agent.id}/token`, undefined],
      ['DELETE', `/api/agents/${agent.id}`, undefined],
    ] as const) {
      const refused = await request(method, url, b.token, body);
      assert.equal(refused.status, 404, `${method} ${url}: ${refused.text}`);
      assert.equal(refused.body.error.code, 'NOT_FOUND');
    }
    assert.match(
      await toolError(b.token, 'update_agent', { agent_id: agent.id, name: 'x' }),
      /does not exist/,
    );
    assert.match(await toolError(b.token, 'delete_agent', { agent_id: agent.id }), /does not exist/);
    assert.equal((await toolOk(b.token, 'list_agents')).structured.count, 0);
    assert.ok(await works(agent.token), 'nothing happened to it');
    assert.equal((await request('GET', '/api/agents', a.token)).body.agents[0].name, 'Agent private');
  });

  it('the MCP tools take the shop token only', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'no-mcp');
    for (const name of [
      'get_api_key',
      'regenerate_api_key',
      'list_agents',
      'create_agent',
      'update_agent',
      'delete_agent',
    ]) {
      for (const token of [agent.token, TEST_ADMIN_TOKEN]) {
        const refused = await postMcp(
          t.app,
          {
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/call',
            params: { name, arguments: { agent_id: agent.id, confirm: true } },
          },
          { token },
        );
        assert.equal(refused.json.result, undefined, `${name} answered a result`);
        assert.match(refused.json.error?.message ?? '', /^Unauthorized: invalid or missing Bearer token/);
      }
    }
    assert.ok(await works(agent.token), 'the agent is still there');
    assert.ok(await works(shop.token), 'the shop token was not rotated');
  });

  it('refuse the wrong principal and bad input, naming the field', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'checked');
    for (const [method, url] of [
      ['GET', '/api/agents'],
      ['PATCH', `/api/agents/${agent.id}`],
      ['POST', `/api/agents/${agent.id}/token`],
      ['DELETE', `/api/agents/${agent.id}`],
    ] as const) {
      await assertCallers(method, url, 'shop', shop.token, agent.token);
    }
    for (const [body, field] of [
      [{}, 'send name, permissions or both'],
      [{ permissions: ['root'] }, 'permissions.0'],
      [{ name: '' }, 'name'],
      [{ nickname: 'x' }, 'unknown field'],
      [{ name: 'ok\u0000' }, 'name'],
    ] as const) {
      const refused = await request('PATCH', `/api/agents/${agent.id}`, shop.token, body);
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.body.error.code, 'VALIDATION_FAILED');
      assert.ok(refused.body.error.message.includes(field), refused.body.error.message);
    }
    assert.match(
      await toolError(shop.token, 'update_agent', { agent_id: agent.id }),
      /send name, permissions or both/,
    );
    assert.match(
      await toolError(shop.token, 'update_agent', { agent_id: agent.id, permissions: 'ai' }),
      /permissions/,
    );
    assert.match(await toolError(shop.token, 'delete_agent', {}), /agent_id/);
    assert.match(
      await toolError(shop.token, 'create_agent', { nickname: 'has space', name: 'x' }),
      /nickname/,
    );
    assert.ok(await works(agent.token), 'nothing changed');
  });
});

describe('shops (admin)', () => {
  it('are listed with their state and settings; updates change them, settings included', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'settings');
    assert.equal(await shopCountry(t.deps, shop.shopId), 'ES');
    const patched = await admin('PATCH', `/api/admin/shops/${shop.shopId}`, {
      name: 'Renamed shop',
      country: 'mx',
      settings: { require_confirmation_token: true },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.shop.country, 'MX');
    assert.equal(await shopCountry(t.deps, shop.shopId), 'MX', 'the cached country is forgotten');
    const listed = (await admin('GET', '/api/admin/shops')).body.shops.find(
      (s: Json) => s.id === shop.shopId,
    );
    assert.deepEqual(
      { name: listed.name, settings: listed.settings, disabled_at: listed.disabled_at },
      { name: 'Renamed shop', settings: { require_confirmation_token: true }, disabled_at: null },
    );

    // The setting is what confirmed tools now ask for.
    assert.match(
      await toolError(shop.token, 'delete_agent', { agent_id: agent.id, confirm: true }),
      /requires the confirmation_token/,
    );
    assert.ok(await works(agent.token));
    const preview = await toolOk(shop.token, 'delete_agent', { agent_id: agent.id });
    await toolOk(shop.token, 'delete_agent', {
      agent_id: agent.id,
      confirm: true,
      confirmation_token: preview.structured.confirmation_token,
    });
    assert.equal(await works(agent.token), false);
  });

  it('refuse the wrong principal, unknown shops and bad input', async () => {
    const shop = await t.createShop();
    const agent = await createAgent(shop.token, 'admin-checks');
    for (const [method, url] of [
      ['GET', '/api/admin/shops'],
      ['PATCH', `/api/admin/shops/${shop.shopId}`],
      ['POST', `/api/admin/shops/${shop.shopId}/disable`],
      ['POST', `/api/admin/shops/${shop.shopId}/enable`],
      ['DELETE', `/api/admin/shops/${shop.shopId}`],
    ] as const) {
      await assertCallers(method, url, 'admin', shop.token, agent.token);
    }
    for (const [method, url] of [
      ['PATCH', '/api/admin/shops/shop_nope'],
      ['POST', '/api/admin/shops/shop_nope/disable'],
      ['POST', '/api/admin/shops/shop_nope/enable'],
      ['DELETE', '/api/admin/shops/shop_nope'],
    ] as const) {
      const missing = await admin(method, url, method === 'PATCH' ? { name: 'x' } : undefined);
      assert.equal(missing.status, 404, `${method} ${url}: ${missing.text}`);
    }
    for (const [body, field] of [
      [{}, 'send at least one'],
      [{ country: 'Spain' }, 'country'],
      [{ timezone: 'Mars/Base' }, 'timezone'],
      [{ settings: { require_confirmation_token: 'yes' } }, 'settings.require_confirmation_token'],
      [{ settings: { other: true } }, 'unknown field'],
      [{ token: 'x' }, 'unknown field'],
      [{ name: 'a\u0000b' }, 'name'],
    ] as const) {
      const refused = await admin('PATCH', `/api/admin/shops/${shop.shopId}`, body);
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.body.error.code, 'VALIDATION_FAILED');
      assert.ok(refused.body.error.message.includes(field), refused.body.error.message);
    }
    assert.ok(await works(shop.token), 'nothing changed');
  });

  it("a disabled shop's tokens are refused and its deliveries wait until it is enabled", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const shop = await t.createShop();
      const agent = await createAgent(shop.token, 'held');
      await configureWebhook(t, shop.token, { webhook_url: receiver.url() });
      const worker = createTestWorker(t);
      assert.ok(await works(shop.token));
      assert.ok(await works(agent.token));

      const disabled = await admin('POST', `/api/admin/shops/${shop.shopId}/disable`);
      assert.equal(disabled.status, 200, disabled.text);
      assert.ok(disabled.body.shop.disabled_at !== null);
      const refused = await request('GET', '/api/followups', shop.token);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.code, 'UNAUTHORIZED');
      assert.match(refused.body.error.message, /replaced or revoked, or its shop is disabled/);
      assert.equal(await works(agent.token), false);
      const mcp = await callTool(t.app, shop.token, 'get_api_key').catch((error: Error) => error.message);
      assert.match(String(mcp), /Unauthorized: invalid or missing Bearer token/);

      await mustRecord(t, shop.shopId);
      await worker.drain();
      assert.equal(receiver.requests.length, 0, 'held while disabled');

      const enabled = await admin('POST', `/api/admin/shops/${shop.shopId}/enable`);
      assert.equal(enabled.body.shop.disabled_at, null);
      await worker.drain();
      await receiver.waitFor(1);
      assert.ok(await works(shop.token));
      assert.ok(await works(agent.token));
    } finally {
      await receiver.close();
    }
  });

  it("a disabled shop's scheduled Smart Follow-up run is skipped, not held", async () => {
    const disabled = await t.createShop();
    const control = await t.createShop();
    const due = new Date(t.clock.now().getTime() - 60_000);
    for (const shop of [disabled, control]) {
      await t.deps.db.insert(followupSettings).values({
        shopId: shop.shopId,
        settings: { ...defaultSmartFollowupSettings, enabled: true },
        nextRunAt: due,
        updatedAt: due,
      });
    }
    await admin('POST', `/api/admin/shops/${disabled.shopId}/disable`);
    const worker = createTestWorker(t);
    await worker.drain();
    const runsOf = async (shopId: string) =>
      (await t.deps.db.select().from(followupRuns).where(eq(followupRuns.shopId, shopId))).length;
    assert.equal(await runsOf(control.shopId), 1, 'the control shop ran');
    assert.equal(await runsOf(disabled.shopId), 0);
    const [settings] = await t.deps.db
      .select()
      .from(followupSettings)
      .where(eq(followupSettings.shopId, disabled.shopId));
    assert.ok(settings?.nextRunAt !== null && settings!.nextRunAt > t.clock.now(), 'its next slot is set');
  });

  it('deleting a shop removes its rows from every table and leaves the others alone', async () => {
    const doomed = await t.createShop();
    const kept = await t.createShop();
    for (const shop of [doomed, kept]) {
      await createAgent(shop.token, 'someone');
      const posted = await request('POST', '/api/conversations/messages', shop.token, {
        chat_phone: '+34600111222',
        messages: [
          {
            id: 'm1',
            direction: 'in',
            text: 'Hola, mi otro número es 612 345 678',
            sent_at: t.clock.now().toISOString(),
          },
        ],
      });
      assert.ok(posted.status < 300, posted.text);
    }
    const tables = await queryRows<{ table_name: string }>(
      t.deps.db,
      sql`select table_name from information_schema.columns where column_name = 'shop_id' and table_schema = current_schema()`,
    );
    const rowsOf = async (shopId: string) => {
      const counts: Record<string, number> = {};
      for (const { table_name } of tables) {
        const [row] = await queryRows<{ n: number | string }>(
          t.deps.db,
          sql`select count(*) as n from ${sql.identifier(table_name)} where shop_id = ${shopId}`,
        );
        if (Number(row?.n) > 0) counts[table_name] = Number(row?.n);
      }
      return counts;
    };
    const before = await rowsOf(doomed.shopId);
    assert.ok(
      Object.keys(before).length >= 4,
      `the shop has data in several tables: ${JSON.stringify(before)}`,
    );

    const deleted = await admin('DELETE', `/api/admin/shops/${doomed.shopId}`);
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual(await rowsOf(doomed.shopId), {});
    assert.deepEqual(await rowsOf(kept.shopId), before, 'the other shop keeps as much');
    assert.equal(await works(doomed.token), false);
    assert.ok(await works(kept.token));
    assert.equal((await admin('DELETE', `/api/admin/shops/${doomed.shopId}`)).status, 404);
  });
});
