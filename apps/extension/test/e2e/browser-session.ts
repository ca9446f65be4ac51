/**
 * Debian's Chromium with the built extension loaded (STACK.md): web.whatsapp.com is mapped to the
 * local fixture server, every other host except loopback is unresolvable. Pages for the options,
 * WhatsApp and the side panel, and the waits the scenarios share (never timers).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { findChromium, quietChromiumArgs } from '../support/chromium.ts';
import { fixtureChats } from './whatsapp-fixture/chats.ts';

const dist = new URL('../../dist/', import.meta.url).pathname;
const artifacts = new URL('../../test-artifacts/', import.meta.url).pathname;

export interface BrowserSession {
  context: BrowserContext;
  extensionId: string;
  options: Page;
  whatsapp: Page;
  panel: Page;
  /**
   * Loads WhatsApp Web (at `path`, `/` by default), then opens in `panel` what Chrome's side panel
   * shows on that tab: the path the background set for it (`sidepanel.html?tab=<id>`). Fails unless
   * the panel is enabled there, and there only.
   */
  openWhatsAppWithPanel(path?: string): Promise<void>;
  /** Fills in and checks or saves the options page, as an agent does; waits for its verdict. */
  connect(serverUrl: string, token: string, button: '#check' | '#save'): Promise<void>;
  /** Opens a chat in WhatsApp and waits until the panel follows (its header names the chat). */
  openChat(key: string): Promise<void>;
  /** Waits until the customer tab shows exactly this text somewhere. */
  panelShows(text: string): Promise<void>;
  /** The customer tab's state element (`data-state`: loading, error, not-found, …). */
  state(name: string): Locator;
  /** Saves a screenshot as test-artifacts/<name>.png. */
  shoot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowserSession(whatsappPort: number, locale: string): Promise<BrowserSession> {
  assert.ok(
    existsSync(join(dist, 'manifest.json')),
    'No build in apps/extension/dist: run npm run build -w apps/extension',
  );
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: await findChromium(),
      headless: true,
      locale,
      timezoneId: 'Europe/Madrid',
      viewport: { width: 1100, height: 760 },
      args: [
        `--disable-extensions-except=${dist}`,
        `--load-extension=${dist}`,
        ...quietChromiumArgs,
        `--host-resolver-rules=MAP web.whatsapp.com:443 127.0.0.1:${whatsappPort}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
        '--ignore-certificate-errors',
      ],
    });
    // Generous: the shared CI machines are often busy, and nothing here waits on a timer anyway.
    context.setDefaultTimeout(45_000);
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const options = await context.newPage();
    const whatsapp = await context.newPage();
    const panel = await context.newPage();
    await panel.setViewportSize({ width: 400, height: 900 });
    const customerTab = panel.locator('[data-tab-body="customer"]');
    const opened = context;
    const extensionId = new URL(worker.url()).host;
    return {
      context: opened,
      extensionId,
      options,
      whatsapp,
      panel,
      async openWhatsAppWithPanel(path = '/') {
        const url = `https://web.whatsapp.com${path}`;
        await whatsapp.goto(url);
        // The background enables the panel when the tab finishes loading. Chrome emits no event for a
        // panel's options, so this polls the condition (as waitForFunction does in a page), bounded.
        const panels = await worker.evaluate(async () => {
          const deadline = Date.now() + 20_000;
          for (;;) {
            const tabs = await chrome.tabs.query({});
            const options = await Promise.all(
              tabs.map(async (tab) => ({
                url: tab.url,
                ...(await chrome.sidePanel.getOptions({ tabId: tab.id })),
              })),
            );
            if (options.some((option) => option.enabled === true) || Date.now() > deadline) return options;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        });
        const enabled = panels.filter((option) => option.enabled === true);
        assert.equal(enabled.length, 1, `the panel is enabled on: ${JSON.stringify(panels)}`);
        assert.equal(enabled[0]?.url, url);
        assert.match(enabled[0]?.path ?? '', /^sidepanel\.html\?tab=\d+$/);
        await panel.goto(`chrome-extension://${extensionId}/${enabled[0]?.path ?? ''}`);
      },
      async connect(serverUrl, token, button) {
        await options.goto(`chrome-extension://${extensionId}/options.html`);
        await options.fill('#server-url', serverUrl);
        await options.fill('#token', token);
        await options.click(button);
        await options.locator('#result.result-ok, #result.result-error').waitFor();
      },
      async openChat(key) {
        const chat = fixtureChats.find((candidate) => candidate.key === key);
        assert.ok(chat !== undefined, `no fixture chat ${key}`);
        await whatsapp.click(`[data-fixture-chat="${key}"]`);
        await panel.locator('.chat-name').getByText(chat.title, { exact: true }).waitFor();
      },
      panelShows: (text) => customerTab.getByText(text, { exact: true }).first().waitFor(),
      state: (name) => customerTab.locator(`[data-state="${name}"]`),
      async shoot(page, name) {
        await page.screenshot({ path: join(artifacts, `${name}.png`) });
      },
      async close() {
        await opened.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
