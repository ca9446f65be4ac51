/**
 * The built extension in Debian's Chromium, beside a page served as https://web.whatsapp.com/ that
 * looks and changes like WhatsApp Web, talking to a real Parley whose CRM is the demo CRM and whose
 * AI model is a scripted OpenAI-compatible server (which also answers Smart Follow-up's analyses). Every request stays on loopback. Screenshots of
 * each state go to apps/extension/test-artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { FREE_CREDITS_PER_MONTH, listFollowupsResponse, type FollowupView } from '@parley/contract';
import { startScriptedLlm, type ScriptedLlm } from '../../../server/test/helpers/scripted-llm.ts';
import { openBrowserSession, type BrowserSession } from './browser-session.ts';
import { hangOnPort } from './hanging-port.ts';
import { startParley, type ParleyForTest, type ShopForTest } from './parley.ts';
import { startWhatsAppServer, type WhatsAppServer } from './whatsapp-server.ts';

let parley: ParleyForTest;
let whatsappServer: WhatsAppServer;
let llm: ScriptedLlm;

before(async () => {
  parley = await startParley();
  whatsappServer = await startWhatsAppServer();
  llm = await startScriptedLlm();
});

after(async () => {
  await llm?.close();
  await whatsappServer?.close();
  await parley?.close();
});

/** The options page, as an agent fills it in, for this file's Parley. */
const connect = (session: BrowserSession, token: string, button: '#check' | '#save') =>
  session.connect(parley.url, token, button);

test('the side panel beside WhatsApp Web, end to end', async (t) => {
  const session = await openBrowserSession(whatsappServer.port, 'en-US');
  const { options, whatsapp, panel, openChat, panelShows, state, shoot } = session;
  const composer = whatsapp.locator('#main footer [contenteditable="true"]');
  try {
    await t.test('before it is set up, the panel on WhatsApp Web asks to connect Parley', async () => {
      await session.openWhatsAppWithPanel();
      await state('setup').waitFor();
      await shoot(panel, '00-setup');
    });

    await t.test(
      'options: a wrong token is refused with a clear message; the right one is saved',
      async () => {
        await connect(session, 'pk_agent_not-a-real-token', '#check');
        assert.match(await options.locator('#result.result-error').innerText(), /refused the agent token/);
        await shoot(options, 'options-wrong-token');
        await connect(session, parley.agentToken, '#save');
        assert.match(await options.locator('#result.result-ok').innerText(), /Saved\. Connected to Parley/);
        await shoot(options, 'options-saved');
      },
    );

    await t.test('once saved, the open panel follows without a reload: no chat open yet', async () => {
      await state('no-chat').waitFor();
      await shoot(panel, '01-no-chat');
    });

    await t.test("chat A: the customer's profile, metrics, orders and tracking", async () => {
      await openChat('lucia');
      await panelShows('Lucía Fernández Ortega');
      await panelShows('#EX-2026-0311');
      const tracking = panel.locator('.tracking a').first();
      assert.equal(await tracking.getAttribute('href'), 'https://tracking.example-carrier.com/SE123456789ES');
      assert.match((await panel.locator('.metrics').textContent()) ?? '', /Total spent€612\.40/);
      await panel
        .locator('[data-updated]')
        .getByText(/Updated/)
        .waitFor();
      await shoot(panel, '02-customer-a');
    });

    await t.test('switching to chat B shows B', async () => {
      await openChat('emily');
      await panelShows('Emily Carter');
      await panelShows('#EX-2026-0350');
      assert.equal(await panel.getByText('Lucía Fernández Ortega').count(), 0);
      await shoot(panel, '03-customer-b');
    });

    await t.test(
      'an unknown number: not found, search, link; the next lookup sends relatedphones',
      async () => {
        await openChat('unknown');
        await state('not-found').waitFor();
        assert.match(await state('not-found').innerText(), /\+34611000111/);
        await shoot(panel, '04-not-found');
        await state('not-found').getByRole('button', { name: 'Search and link' }).click();
        await panel.fill('[data-search="customers"]', 'work account');
        const result = panel.locator('[data-tab-body="customers"] .result', {
          hasText: 'Lucía Fernández (work account)',
        });
        await result.waitFor();
        await shoot(panel, '05-search-to-link');
        await result.getByRole('button', { name: 'Link to this chat' }).click();
        await panelShows('Lucía Fernández (work account)');
        await panelShows('Linked to this chat');
        const lookups = parley.crmRequests
          .filter((target) => target.startsWith('/crm/sidePanel_CustomerInfo?'))
          .map((target) => new URL(target, 'http://crm').searchParams)
          .filter((params) => params.get('phone') === '+34611000111');
        assert.ok(
          lookups.some((params) => params.get('relatedphones') === '+34911222333'),
          `no lookup of the chat sent relatedphones: ${lookups.map(String).join(' | ')}`,
        );
        await shoot(panel, '06-linked');
      },
    );

    await t.test('several customers for one chat: a picker, then the chosen one', async () => {
      await panel.locator('[data-tab-button="customers"]').click();
      await panel.fill('[data-search="customers"]', 'lucia.fernandez@example.net');
      const result = panel.locator('[data-tab-body="customers"] .result', {
        hasText: 'Lucía Fernández Ortega',
      });
      await result.getByRole('button', { name: 'Link to this chat' }).click();
      await panel.locator('.picker').waitFor();
      assert.equal(await panel.locator('.picker .choice').count(), 2);
      await shoot(panel, '07-picker');
      await panel.locator('.picker .choice', { hasText: 'Lucía Fernández Ortega' }).click();
      await panelShows('#EX-2026-0311');
    });

    await t.test('insert a tracking link: the composer holds it, nothing is sent', async () => {
      await openChat('lucia');
      await panelShows('#EX-2026-0311');
      const sentBefore = await whatsapp.locator('[data-id^="true_"]').count();
      await panel.locator('.tracking .insert').first().click();
      await panel.locator('.flash-ok').waitFor();
      await whatsapp.waitForFunction(() =>
        document
          .querySelector('#main footer [contenteditable="true"]')
          ?.textContent?.includes('SE123456789ES'),
      );
      assert.equal(
        (await composer.innerText()).trim(),
        'Here is the tracking of your order #EX-2026-0311: https://tracking.example-carrier.com/SE123456789ES',
      );
      assert.equal(await whatsapp.locator('[data-id^="true_"]').count(), sentBefore);
      await shoot(panel, '08-inserted');
      await shoot(whatsapp, '09-whatsapp-composer');
    });

    await t.test('products and global search with type-ahead; a product goes into the chat', async () => {
      await panel.locator('[data-tab-button="products"]').click();
      await panel.fill('[data-search="products"]', 'merino');
      const product = panel
        .locator('[data-tab-body="products"] .result', { hasText: 'Merino socks' })
        .first();
      await product.waitFor();
      await shoot(panel, '10-products');
      await product.getByRole('button', { name: 'Insert into chat' }).click();
      await whatsapp.waitForFunction(() =>
        document
          .querySelector('#main footer [contenteditable="true"]')
          ?.textContent?.includes('Merino socks'),
      );
      await panel.locator('[data-tab-button="global"]').click();
      await panel.fill('[data-search="global"]', 'EX-2026');
      await panel.locator('[data-tab-body="global"] .result').first().waitFor();
      await shoot(panel, '11-global-search');
      await panel.locator('[data-tab-button="customer"]').click();
    });

    await t.test('CRM down: loading, then the error state; Retry once it is back', async () => {
      await parley.stopCrm();
      const hung = await hangOnPort(parley.crmPort);
      // A chat not looked up yet (so no cache answers): its number is known from WhatsApp's store only.
      await openChat('work');
      await state('loading').waitFor();
      await shoot(panel, '12-loading');
      await hung.drop();
      await state('error').waitFor();
      assert.match(await state('error').innerText(), /call to the CRM failed/);
      await shoot(panel, '13-crm-error');
      await parley.startCrm();
      await state('error').getByRole('button', { name: 'Retry' }).click();
      await panelShows('Lucía Fernández (work account)');
      await shoot(panel, '14-retried-store-chat');
    });

    await t.test("a group chat is never taken for a customer's number", async () => {
      await openChat('group');
      await state('no-phone').waitFor();
      assert.match(await state('no-phone').innerText(), /group chat/);
      await shoot(panel, '15-group');
    });

    await t.test(
      'once turned on, the visible messages of the open chat reach the conversation API',
      async () => {
        await options.goto(`chrome-extension://${session.extensionId}/options.html`);
        await options.check('#report');
        await options.click('#save');
        await options.locator('#result.result-ok').waitFor();
        const posted = session.context.waitForEvent('request', (request) =>
          request.url().endsWith('/api/conversations/messages'),
        );
        await openChat('emily');
        const response = await (await posted).response();
        assert.ok(response !== null, 'the report got no answer');
        assert.equal(((await response.json()) as { accepted: number }).accepted, 1);
        // Intake is idempotent per message id (WhatsApp's own, the last part of the row's data-id):
        // the same id again is not accepted, so the server has it.
        const dataId = await whatsapp.locator('#main [data-id]').first().getAttribute('data-id');
        const id = dataId?.split('_')[2];
        const again = await fetch(`${parley.url}/api/conversations/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${parley.agentToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            chat_phone: '+14155550123',
            messages: [
              {
                id,
                direction: 'in',
                text: 'Hi! Can I change the sock size?',
                sent_at: '2026-03-02T10:02:00Z',
              },
            ],
          }),
        });
        assert.equal(((await again.json()) as { accepted: number }).accepted, 0);
      },
    );
  } finally {
    await session.close();
  }
});

const DRAFT =
  'Hola Lucía, tu pedido #EX-2026-0311 ya va de camino: https://tracking.example-carrier.com/SE123456789ES\n' +
  'Y el envío de tu próximo pedido corre de nuestra cuenta.';

test('AI reply: not configured, then a draft with its function calls into the chat; no credits', async (t) => {
  const session = await openBrowserSession(whatsappServer.port, 'en-US');
  const { whatsapp, panel, openChat, panelShows, shoot } = session;
  const card = panel.locator('[data-assistant]');
  const aiState = (name: string) => card.locator(`[data-state="${name}"]`);
  const composer = whatsapp.locator('#main footer [contenteditable="true"]');
  try {
    await connect(session, parley.agentToken, '#save');
    await session.openWhatsAppWithPanel();
    await openChat('lucia');
    await panelShows('Lucía Fernández Ortega');

    await t.test('without a model, the agent is told an admin must configure the AI', async () => {
      await card.locator('[data-instruction]').fill('offer free shipping');
      await card.getByRole('button', { name: 'Suggest reply' }).click();
      await aiState('ai-not-configured').waitFor();
      assert.match(await aiState('ai-not-configured').innerText(), /An admin must configure the AI/);
      // The server's explanation, for the admin, is folded away under "Details for the admin".
      assert.match(
        (await aiState('ai-not-configured').locator('details').textContent()) ?? '',
        /PARLEY_LLM_BASE_URL[\s\S]*configure_ai/,
      );
      assert.equal(llm.requests.length, 0);
      await shoot(panel, '20-ai-not-configured');
    });

    await t.test(
      'once configured: loading, then the draft, the functions it called and its sources',
      async () => {
        // As an admin would: the shop's own model (the scripted one) and a function backed by the CRM.
        await parley.mcp('configure_ai', { base_url: llm.baseUrl, model: 'scripted-model', confirm: true });
        await parley.mcp('update_custom_functions', {
          add_function: {
            name: 'search_products',
            description: 'Finds products of the shop by name or SKU',
            parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
            endpoint: `${parley.crmUrl}/crm/search_Products`,
            method: 'GET',
          },
          confirm: true,
        });
        llm.script(
          {
            toolCalls: [
              { name: 'search_products', arguments: { query: 'merino' } },
              // A function the shop does not have: answered to the model, no HTTP call.
              { name: 'check_stock', arguments: { sku: 'MER-42' } },
            ],
            usage: { prompt_tokens: 812, completion_tokens: 24 },
            hold: true,
          },
          { text: DRAFT, usage: { prompt_tokens: 1020, completion_tokens: 58 } },
        );
        await aiState('ai-not-configured').getByRole('button', { name: 'Try again' }).click();
        await aiState('ai-loading').waitFor();
        await llm.waitForRequests(1);
        assert.equal(await card.getByRole('button', { name: 'Suggest reply' }).isDisabled(), true);
        await shoot(panel, '21-ai-loading');
        llm.release();

        const draft = aiState('ai-draft');
        await draft.waitFor();
        assert.equal(await draft.locator('[data-draft]').innerText(), DRAFT);
        const found = draft.locator('[data-tool="search_products"][data-status="ok"]');
        assert.match(await found.innerText(), /OK[\s\S]*HTTP 200 · \d+ ms[\s\S]*\{"query":"merino"\}/);
        const unknown = draft.locator('[data-tool="check_stock"][data-status="unknown_function"]');
        assert.match(await unknown.innerText(), /Unknown function/);
        const text = await draft.innerText();
        assert.match(text, /Functions called \(2\)/i); // the section title is shown upper-case
        assert.match(text, /Messages visible in the chat: 2/);
        assert.match(text, /Your instruction/);
        assert.match(text, /Credits charged: 1,914/);
        await shoot(panel, '22-ai-draft');

        // What the model got: the messages WhatsApp shows and the agent's instruction.
        const sent = JSON.stringify(llm.requests[0]?.body.messages);
        assert.ok(sent.includes('Hola, ¿dónde está mi pedido?'), sent);
        assert.ok(sent.includes('offer free shipping'), sent);
        assert.ok(
          parley.crmRequests.some(
            (target) => target.startsWith('/crm/search_Products?') && target.includes('query=merino'),
          ),
          `the function did not reach the CRM: ${parley.crmRequests.join(' | ')}`,
        );
      },
    );

    await t.test('insert into chat: the composer holds the draft, nothing is sent', async () => {
      const sentBefore = await whatsapp.locator('[data-id^="true_"]').count();
      await aiState('ai-draft').getByRole('button', { name: 'Insert into chat' }).click();
      await panel.locator('.flash-ok').waitFor();
      await whatsapp.waitForFunction(() =>
        document
          .querySelector('#main footer [contenteditable="true"]')
          ?.textContent?.includes('nuestra cuenta'),
      );
      assert.equal((await composer.innerText()).trim(), DRAFT);
      assert.equal(await whatsapp.locator('[data-id^="true_"]').count(), sentBefore);
      await shoot(panel, '23-ai-inserted');
      await shoot(whatsapp, '24-whatsapp-ai-draft');
    });

    await t.test(
      'once the credits are spent: "No credits available", and the model is not called',
      async () => {
        // A reply whose usage is more than the month's free credits: charged what was left, down to zero.
        llm.script({
          text: 'Otra versión del borrador.',
          usage: { prompt_tokens: 2_000_000, completion_tokens: 10 },
        });
        await aiState('ai-draft').getByRole('button', { name: 'Try again' }).click();
        await panelShows('Otra versión del borrador.');
        const left = (FREE_CREDITS_PER_MONTH - 1_914).toLocaleString('en-US');
        assert.match(await aiState('ai-draft').innerText(), new RegExp(`Credits charged: ${left}`));
        const calls = llm.requests.length;

        await aiState('ai-draft').getByRole('button', { name: 'Try again' }).click();
        await aiState('ai-no-credits').waitFor();
        assert.match(await aiState('ai-no-credits').innerText(), /No credits available/);
        assert.equal(llm.requests.length, calls);
        await shoot(panel, '25-ai-no-credits');
      },
    );
  } finally {
    await session.close();
  }
});

test('in Spanish, with amounts and dates for a Spanish agent', async () => {
  const session = await openBrowserSession(whatsappServer.port, 'es-ES');
  try {
    await connect(session, parley.agentToken, '#save');
    // Read whichever result is shown, so a failure prints the page's own reason.
    assert.match(await session.options.locator('#result').innerText(), /Guardado/);
    await session.openWhatsAppWithPanel();
    await session.openChat('lucia');
    await session.panelShows('Lucía Fernández Ortega');
    const metrics = (await session.panel.locator('.metrics').textContent()) ?? '';
    assert.match(metrics.replace(/\s/g, ' '), /Total gastado612,40 €/);
    await session.panelShows('27 feb 2026');
    await session.shoot(session.panel, '16-spanish');
    // The AI reply card in Spanish; the shop's credits were spent by the test before.
    const card = session.panel.locator('[data-assistant]');
    await card.getByRole('button', { name: 'Sugerir respuesta' }).click();
    await card.locator('[data-state="ai-no-credits"]').getByText('No hay créditos disponibles').waitFor();
    await session.shoot(session.panel, '26-ai-no-credits-es');
  } finally {
    await session.close();
  }
});

/** Conversations of the last hours that ended without a purchase, as WhatsApp reported them. */
const followupChats = [
  {
    key: 'lucia',
    phone: '+34655123987',
    name: 'Lucía Fernández',
    lines: [
      ['in', '¿Tenéis las Trail Runner X3 en la talla 39?'],
      ['in', 'Vale, pero 12 € de envío a Canarias es mucho. Me lo pienso.'],
      ['out', '¡Claro! Cualquier cosa me dices.'],
    ],
    analysis: {
      product_mentioned: 'Trail Runner X3',
      customer_objection: 'Shipping cost to the Canary Islands',
      suggested_message:
        'Hola Lucía, ¿sigues pensando en las Trail Runner X3? Esta semana el envío a Canarias es gratis.',
    },
  },
  {
    key: 'emily',
    phone: '+14155550123',
    name: 'Emily Carter',
    lines: [
      ['in', 'Do the merino socks come in a 3-pack?'],
      ['in', 'Hmm, a bit pricey. Maybe later.'],
      ['out', 'Sure, just let us know!'],
    ],
    analysis: {
      product_mentioned: 'Merino socks 3-pack',
      customer_objection: 'Price',
      suggested_message:
        'Hi Emily! The merino socks 3-pack is 15% off until Sunday, if you are still interested.',
    },
  },
  {
    key: 'unknown',
    phone: '+34611000111',
    // An unsaved contact: the list names it by its number.
    name: null,
    lines: [
      ['in', '¿Cuánto cuesta el chubasquero en talla M?'],
      ['in', 'Uf, pensaba que era más barato.'],
      ['out', 'Si quieres te aviso cuando esté rebajado.'],
    ],
    analysis: {
      product_mentioned: 'Chubasquero talla M',
      customer_objection: 'Precio',
      suggested_message: 'Hola, el chubasquero que te interesaba sigue disponible en talla M.',
    },
  },
] as const;

const FOLLOWUP_WAIT_MS = 30_000;

/**
 * As Smart Follow-up finds them: the conversations reach Parley, a run asks the (scripted) model to
 * analyse each, checks with the CRM that no order followed (the demo CRM's orders of Lucía and Emily
 * are from before, and it does not know the third number), and drafts a follow-up that falls due at
 * once (`delay_days` 0). Waits on the API until all are due.
 */
async function seedFollowups(shop: ShopForTest, model: ScriptedLlm): Promise<Map<string, FollowupView>> {
  await shop.mcp('configure_ai', { base_url: model.baseUrl, model: 'scripted-model', confirm: true });
  await shop.mcp('save_smart_followup_config', { enabled: true, confirm: true });
  const started = Date.now() - 5 * 3_600_000;
  for (const chat of followupChats) {
    const posted = await shop.api('POST', '/api/conversations/messages', {
      chat_phone: chat.phone,
      ...(chat.name === null ? {} : { chat_name: chat.name }),
      messages: chat.lines.map(([direction, text], index) => ({
        id: `m${index + 1}`,
        direction,
        text,
        sent_at: new Date(started + index * 600_000).toISOString(),
      })),
    });
    assert.equal(posted.status, 200, `POST /api/conversations/messages: ${JSON.stringify(posted.body)}`);
  }
  // The runs may analyse the chats in either order; each follow-up is then read back by its phone.
  model.script(
    ...followupChats.map(({ analysis }) => ({
      text: JSON.stringify({
        intent_level: 'high',
        outcome: 'abandoned',
        sentiment: 'neutral',
        opt_out_requested: false,
        evidence_message_ids: ['m2'],
        reason: 'Asked about the product, stopped at the objection and did not buy.',
        ...analysis,
      }),
    })),
  );
  await shop.mcp('trigger_smart_followup', { confirm: true });
  const deadline = Date.now() + FOLLOWUP_WAIT_MS;
  for (;;) {
    const due = await shop.api('GET', '/api/followups?status=due');
    assert.equal(due.status, 200, `GET /api/followups?status=due: ${JSON.stringify(due.body)}`);
    const { followups } = listFollowupsResponse.parse(due.body);
    if (followups.length >= followupChats.length) {
      return new Map(followups.map((followup) => [followup.phone, followup]));
    }
    if (Date.now() > deadline) {
      const all = await shop.api('GET', '/api/followups?status=all');
      const logs = await shop.mcp('get_smart_followup_logs', {}).catch(String);
      assert.fail(
        `${followups.length} of ${followupChats.length} follow-ups due after ${FOLLOWUP_WAIT_MS / 1000} s; ` +
          `all: ${JSON.stringify(all.body)}; model requests: ${model.requests.length}; logs: ${JSON.stringify(logs)}`,
      );
    }
    // A bounded poll of the condition: the worker reports nothing the test could wait on.
    await delay(100);
  }
}

/** The shop's follow-ups the API lists for `query`, as id and status. */
async function listedFollowups(shop: ShopForTest, query: Record<string, string>) {
  const answer = await shop.api('GET', `/api/followups?${new URLSearchParams(query)}`);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return listFollowupsResponse.parse(answer.body).followups.map(({ id, status }) => ({ id, status }));
}

test("Smart Follow-up: the chat's due follow-up in the customer tab, the list of due ones, in Spanish and English", async (t) => {
  // A shop and model of its own: the analyses spend credits, which the AI reply scenario counts.
  const shop = await parley.addShop('Tienda Seguimiento');
  const model = await startScriptedLlm();
  try {
    const seeded = await seedFollowups(shop, model);
    const followupOf = (key: string) => {
      const phone = followupChats.find((chat) => chat.key === key)?.phone ?? '';
      const followup = seeded.get(phone);
      assert.ok(
        followup !== undefined,
        `no due follow-up for ${phone}: ${JSON.stringify([...seeded.keys()])}`,
      );
      return followup;
    };
    const lucia = followupOf('lucia');
    const emily = followupOf('emily');
    const unknown = followupOf('unknown');
    assert.equal(model.requests.length, followupChats.length);
    assert.ok(
      JSON.stringify(model.requests).includes('Trail Runner X3'),
      'the model did not get the conversation',
    );
    assert.equal(emily.whatsapp_url, 'https://web.whatsapp.com/send?phone=14155550123');

    await t.test('in Spanish: the reporting note, the card and the list', async () => {
      const session = await openBrowserSession(whatsappServer.port, 'es-ES');
      const { options, panel } = session;
      const card = panel.locator('[data-followup-card]');
      try {
        await connect(session, shop.agentToken, '#save');
        assert.match(await options.locator('#result').innerText(), /Guardado/);
        assert.match(
          await options.locator('#report-help').innerText(),
          /alimenta Smart Follow-up[\s\S]*POST \/api\/conversations\/messages[\s\S]*no encuentra nada de este navegador/,
        );
        await session.openWhatsAppWithPanel();
        await session.openChat('lucia');
        await card.getByText('Producto: Trail Runner X3', { exact: true }).waitFor();
        const text = await card.innerText();
        for (const expected of [
          'Intención alta',
          'Intento 1',
          'Objeción: Shipping cost to the Canary Islands',
          'Pendiente desde',
          'Insertar en el chat',
          'Marcar como enviado',
          'Descartar',
        ]) {
          assert.ok(text.includes(expected), `"${expected}" not in the card: ${text}`);
        }
        await session.shoot(panel, '30-followup-card-es');
        await panel.locator('[data-tab-button="followups"]').getByText('Seguimientos').click();
        await panel.locator('[data-followups] [data-followup]').nth(2).waitFor();
        assert.equal(
          await panel.locator('[data-followups] .section-title').textContent(),
          'Seguimientos pendientes (3)',
        );
        await session.shoot(panel, '31-followups-es');
      } finally {
        await session.close();
      }
    });

    const session = await openBrowserSession(whatsappServer.port, 'en-US');
    const { options, whatsapp, panel, openChat, panelShows, shoot } = session;
    const card = panel.locator('[data-followup-card]');
    const composer = whatsapp.locator('#main footer [contenteditable="true"]');
    try {
      await t.test(
        'options: the reporting switch, off by default, says Smart Follow-up depends on it',
        async () => {
          await connect(session, shop.agentToken, '#save');
          assert.equal(await options.isChecked('#report'), false);
          assert.match(
            await options.locator('#report-help').innerText(),
            /powers Smart Follow-up[\s\S]*POST \/api\/conversations\/messages[\s\S]*finds nothing from this browser/,
          );
          await shoot(options, '32-options-followup-note');
        },
      );

      await t.test("the open chat's due follow-up atop the customer tab, above its customer", async () => {
        await session.openWhatsAppWithPanel();
        await openChat('lucia');
        await card.waitFor();
        assert.equal(await card.getAttribute('data-followup-id'), lucia.id);
        assert.equal(await card.locator('[data-followup-draft]').innerText(), lucia.suggested_message);
        assert.equal(lucia.suggested_message, followupChats[0].analysis.suggested_message);
        const text = await card.innerText();
        assert.match(text, /High intent/);
        assert.match(text, /Attempt 1/);
        assert.match(text, /Product: Trail Runner X3/);
        assert.match(text, /Objection: Shipping cost to the Canary Islands/);
        await panelShows('Lucía Fernández Ortega');
        await shoot(panel, '33-followup-card');
      });

      await t.test('Insert into chat: the composer holds the draft, nothing is sent', async () => {
        const sentBefore = await whatsapp.locator('[data-id^="true_"]').count();
        await card.getByRole('button', { name: 'Insert into chat' }).click();
        await panel.locator('.flash-ok').waitFor();
        await whatsapp.waitForFunction(() =>
          document.querySelector('#main footer [contenteditable="true"]')?.textContent?.includes('Canarias'),
        );
        assert.equal((await composer.innerText()).trim(), lucia.suggested_message);
        assert.equal(await whatsapp.locator('[data-id^="true_"]').count(), sentBefore);
        assert.deepEqual(await listedFollowups(shop, { status: 'due', phone: lucia.phone }), [
          { id: lucia.id, status: 'due' },
        ]);
        await shoot(whatsapp, '34-whatsapp-followup-draft');
      });

      await t.test(
        'the Follow-ups tab lists the due ones; one opens its chat in the WhatsApp tab',
        async () => {
          await panel.locator('[data-tab-button="followups"]').click();
          const list = panel.locator('[data-followups]');
          await list.locator('[data-followup]').nth(2).waitFor();
          assert.equal(await list.locator('[data-followup]').count(), 3);
          assert.equal(await list.locator('.section-title').textContent(), 'Due follow-ups (3)');
          assert.match(
            await list.locator(`[data-followup="${unknown.id}"]`).innerText(),
            /^\+34611000111\s+High intent\s+Product: Chubasquero talla M/,
          );
          const item = list.locator(`[data-followup="${emily.id}"]`);
          assert.match(
            await item.innerText(),
            /Emily Carter[\s\S]*High intent[\s\S]*Product: Merino socks 3-pack[\s\S]*Due since/,
          );
          await shoot(panel, '35-followups');
          await item.getByRole('button').click();
          // WhatsApp Web's own "click to chat" address, in the same tab; the page opens that chat.
          await whatsapp.waitForURL('https://web.whatsapp.com/send?phone=14155550123');
          await panel.locator('.chat-name').getByText('Emily Carter', { exact: true }).waitFor();
          await panel.locator(`[data-followup-card][data-followup-id="${emily.id}"]`).waitFor();
          assert.equal(
            await panel.locator('[data-tab-button="customer"]').getAttribute('aria-selected'),
            'true',
          );
          const whatsappTabs = session.context
            .pages()
            .filter((page) => page.url().startsWith('https://web.whatsapp.com/'));
          assert.deepEqual(whatsappTabs, [whatsapp], 'the chat opened in another tab');
          await shoot(panel, '36-followup-opened');
        },
      );

      await t.test('Dismiss: gone from the panel, and the server has it dismissed', async () => {
        await card.getByRole('button', { name: 'Dismiss' }).click();
        await panel.locator('.flash-ok').getByText('Follow-up dismissed.').waitFor();
        await card.waitFor({ state: 'hidden' });
        assert.deepEqual(await listedFollowups(shop, { status: 'all', phone: emily.phone }), [
          { id: emily.id, status: 'dismissed' },
        ]);
        await shoot(panel, '37-followup-dismissed');
      });

      await t.test('Mark as sent: the card says so, and the server has it sent', async () => {
        await openChat('lucia');
        await card.getByRole('button', { name: 'Mark as sent' }).click();
        await card.locator('[data-state="followup-sent"]').getByText('Follow-up marked as sent').waitFor();
        assert.deepEqual(await listedFollowups(shop, { status: 'sent', phone: lucia.phone }), [
          { id: lucia.id, status: 'sent' },
        ]);
        await shoot(panel, '38-followup-sent');
      });

      await t.test(
        "dismissed meanwhile by someone else: Mark as sent shows the server's refusal in the card",
        async () => {
          await openChat('unknown');
          await card.getByRole('button', { name: 'Mark as sent' }).waitFor();
          const dismissed = await shop.api('POST', `/api/followups/${unknown.id}/dismiss`, {});
          assert.equal(dismissed.status, 200, JSON.stringify(dismissed.body));
          await card.getByRole('button', { name: 'Mark as sent' }).click();
          const refusal = card.locator('[data-state="followup-error"]');
          await refusal.waitFor();
          assert.match(
            await refusal.innerText(),
            /Could not update the follow-up[\s\S]*no longer due[\s\S]*CONFLICT: This follow-up is dismissed/,
          );
          assert.equal(await card.getByRole('button').count(), 0);
          await shoot(panel, '39-followup-conflict');
        },
      );

      await t.test('none left due: the Follow-ups tab says so', async () => {
        await panel.locator('[data-tab-button="followups"]').click();
        await panel.locator('[data-state="followups-empty"]').waitFor();
        await shoot(panel, '40-followups-empty');
      });
    } finally {
      await session.close();
    }
  } finally {
    await model.close();
  }
});
