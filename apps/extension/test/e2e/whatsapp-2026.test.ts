/**
 * The built extension on the WhatsApp Web of 2026 (the fixture page at `?modules=renamed`): the chat
 * collection under another module, one-to-one chats addressed by `@lid` ids whose number only
 * WhatsApp's LID→phone map knows or that WhatsApp hides, message rows with bare ids and their text
 * in a `span[dir]`, a chat neither message reader understands, and a message box that refuses text.
 * Real Chromium, a real Parley in-process and the demo CRM, all on loopback; screenshots go to
 * apps/extension/test-artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PostConversationMessagesRequest } from '@parley/contract';
import type { Request } from 'playwright-core';
import { openBrowserSession, type BrowserSession } from './browser-session.ts';
import { startParley, type ParleyForTest } from './parley.ts';
import { startWhatsAppServer, type WhatsAppServer } from './whatsapp-server.ts';

let parley: ParleyForTest;
let whatsappServer: WhatsAppServer;

before(async () => {
  parley = await startParley();
  whatsappServer = await startWhatsAppServer();
});

after(async () => {
  await whatsappServer?.close();
  await parley?.close();
});

/** The hidden contact's @lid digits: a 15-digit number that would pass for an E.164 phone. */
const HIDDEN_LID_DIGITS = '172829449224331';

/** Waits for the extension's report of the chat with `phone` and returns what it posted. */
function reportOf(session: BrowserSession, phone: string): Promise<PostConversationMessagesRequest> {
  return session.context
    .waitForEvent('request', (request: Request) => {
      if (!request.url().endsWith('/api/conversations/messages')) return false;
      return (JSON.parse(request.postData() ?? '{}') as { chat_phone?: string }).chat_phone === phone;
    })
    .then((request) => JSON.parse(request.postData() ?? '{}') as PostConversationMessagesRequest);
}

/** A product of the demo CRM put into the chat from the Products tab; the flash that follows. */
async function insertProduct(session: BrowserSession, button: string): Promise<string> {
  const { panel } = session;
  await panel.locator('[data-tab-button="products"]').click();
  await panel.fill('[data-search="products"]', 'merino');
  const product = panel.locator('[data-tab-body="products"] .result', { hasText: 'Merino socks' }).first();
  // The flash of an earlier insert may still show; the one wanted is the next.
  await panel.evaluate(() => document.querySelector('.flash')?.setAttribute('hidden', ''));
  await product.getByRole('button', { name: button }).click();
  const flash = panel.locator('.flash:not([hidden])');
  await flash.waitFor();
  const text = await flash.innerText();
  await panel.locator('[data-tab-button="customer"]').click();
  return text;
}

test('the WhatsApp Web of 2026, end to end', async (t) => {
  const session = await openBrowserSession(whatsappServer.port, 'en-US');
  const { options, whatsapp, panel, openChat, state, shoot } = session;
  const composer = whatsapp.locator('#main footer [contenteditable="true"]');
  const unknownModules: string[] = [];
  const pageErrors: string[] = [];
  whatsapp.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Requiring unknown module'))
      unknownModules.push(message.text());
  });
  whatsapp.on('pageerror', (error) => pageErrors.push(String(error)));
  /** Every request the browser made to Parley, for "a wrong phone is never looked up". */
  const parleyRequests: string[] = [];
  session.context.on('request', (request) => {
    if (request.url().startsWith(parley.url))
      parleyRequests.push(`${request.url()} ${request.postData() ?? ''}`);
  });
  const notice = panel.locator('[data-state="messages-unavailable"]');
  try {
    await session.connect(parley.url, parley.agentToken, '#check');
    await options.check('#report');
    await options.click('#save');
    await options.locator('#result.result-ok').waitFor();
    await session.openWhatsAppWithPanel('/?modules=renamed');
    await state('no-chat').waitFor();

    await t.test(
      "a @lid chat whose number only WhatsApp's LID map knows: its customer, its messages from the store",
      async () => {
        const report = reportOf(session, '+447911123456');
        await openChat('james');
        await panel.locator('[data-customer="51002"]').waitFor();
        assert.equal(await panel.locator('.chat-detail').innerText(), '+447911123456');
        assert.ok(
          parley.crmRequests.some((target) => target.includes('phone=%2B447911123456')),
          `the CRM was not asked for James's number: ${parley.crmRequests.join(' | ')}`,
        );
        // Read from WhatsApp's models: their own ids and times to the second (the markup has minutes).
        const rowIds = await whatsapp
          .locator('#main [data-id]')
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
        const { messages } = await report;
        assert.deepEqual(
          messages.map(({ id, direction, text, sent_at }) => ({ id, direction, text, sent_at })),
          [
            {
              id: rowIds[0],
              direction: 'in',
              text: 'Hi, is the GTX in size 44 back?',
              sent_at: '2026-03-02T08:40:37.000Z',
            },
            {
              id: rowIds[1],
              direction: 'out',
              text: 'Let me check, James.',
              sent_at: '2026-03-02T08:42:37.000Z',
            },
          ],
        );
        assert.equal(await notice.isVisible(), false);
        await shoot(panel, '50-lid-map-customer');
      },
    );

    await t.test('a chat whose number WhatsApp hides stays "no phone": nothing is looked up', async () => {
      await openChat('sofia');
      await state('no-phone').waitFor();
      assert.match(await state('no-phone').innerText(), /WhatsApp hides this contact's number/);
      assert.equal(await panel.locator('.chat-detail').innerText(), 'number not visible');
      const guessed = [...parley.crmRequests, ...parleyRequests].filter((line) =>
        line.includes(HIDDEN_LID_DIGITS),
      );
      assert.deepEqual(guessed, [], 'a phone made of the @lid digits was looked up');
      await shoot(panel, '51-hidden-number');
    });

    await t.test(
      "2026 rows (bare ids, text in span[dir]) when the store's model has no messages: the markup reader",
      async () => {
        const report = reportOf(session, '+34911222333');
        await openChat('work');
        const rowId = await whatsapp.locator('#main [data-id]').first().getAttribute('data-id');
        assert.match(rowId ?? '', /^3EB0[0-9A-F]{16}$/);
        const { messages } = await report;
        assert.deepEqual(messages, [
          {
            id: rowId,
            direction: 'in',
            text: '¿Me mandáis la factura?',
            sent_at: '2026-03-02T11:30:00.000Z',
          },
        ]);
        assert.equal(await notice.isVisible(), false);
      },
    );

    await t.test(
      'neither reader works: the panel says reporting and AI context are unavailable',
      async () => {
        await openChat('broken');
        await notice.waitFor();
        assert.match(
          await notice.innerText(),
          /Reporting and AI context are unavailable on this page[\s\S]*cannot read this chat's messages/,
        );
        await state('not-found').waitFor();
        assert.equal(
          parleyRequests.filter(
            (line) => line.includes('/api/conversations/messages') && line.includes('+34622000111'),
          ).length,
          0,
        );
        await shoot(panel, '52-messages-unavailable');
      },
    );

    await t.test(
      'an insert that does not land says so; after a click in the message box it lands',
      async () => {
        assert.equal(
          await insertProduct(session, 'Insert into chat'),
          'Could not insert: click the message box and try again.',
        );
        assert.equal((await composer.innerText()).trim(), '');
        await shoot(panel, '53-not-inserted');
        const sentBefore = await whatsapp.locator('#main [data-id]').count();
        await composer.click();
        assert.equal(
          await insertProduct(session, 'Insert into chat'),
          'Inserted into the chat: review it and send it.',
        );
        assert.match(await composer.innerText(), /Merino socks/);
        assert.equal(await whatsapp.locator('#main [data-id]').count(), sentBefore, 'a message was sent');
        await shoot(whatsapp, '54-inserted-after-click');
      },
    );

    await t.test('options: what Parley sees on this page follows the WhatsApp tab', async () => {
      await options.goto(`chrome-extension://${session.extensionId}/options.html`);
      const row = (key: string) => options.locator(`[data-diagnostic="${key}"]`);
      await row('messages').getByText('Not readable: reporting and AI context unavailable').waitFor();
      assert.equal(await row('store').innerText(), 'Reachable');
      assert.match(
        await row('detection').innerText(),
        /^\+34622000111, from the chat's id in WhatsApp's store \(/,
      );
      await shoot(options, '55-diagnostics-broken');
      await openChat('james');
      await row('detection')
        .getByText(/^\+447911123456, from WhatsApp's LID-to-phone map/)
        .waitFor();
      assert.equal(await row('messages').innerText(), "WhatsApp's store");
      await openChat('work');
      await row('messages').getByText('Page markup, 2026 format').waitFor();
      assert.match(
        await row('detection').innerText(),
        /^\+34911222333, from the contact's number in WhatsApp's store/,
      );
      await openChat('sofia');
      await row('detection')
        .getByText(/^No phone \(WhatsApp hides the number\)/)
        .waitFor();
      await shoot(options, '56-diagnostics-hidden');
    });

    await t.test('quiet: no module WhatsApp lacks was required, and nothing was thrown into the page', () => {
      assert.deepEqual(unknownModules, []);
      assert.deepEqual(pageErrors, []);
    });
  } finally {
    await session.close();
  }
});

test('in Spanish: the unavailable messages and the failed insert', async () => {
  const session = await openBrowserSession(whatsappServer.port, 'es-ES');
  try {
    await session.connect(parley.url, parley.agentToken, '#save');
    await session.openWhatsAppWithPanel('/?modules=renamed');
    await session.openChat('broken');
    // Once WhatsApp's store has settled, the chat's number is known and looked up.
    await session.state('not-found').waitFor();
    const notice = session.panel.locator('[data-state="messages-unavailable"]');
    await notice.waitFor();
    assert.match(
      await notice.innerText(),
      /El envío de mensajes y el contexto de la IA no están disponibles en esta página/,
    );
    assert.equal(
      await insertProduct(session, 'Insertar en el chat'),
      'No se pudo insertar: haz clic en el cuadro de mensaje y vuelve a intentarlo.',
    );
    await session.shoot(session.panel, '57-not-inserted-es');
  } finally {
    await session.close();
  }
});
