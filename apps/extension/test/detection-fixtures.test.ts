/**
 * Detection on saved WhatsApp Web markup (test/fixtures/whatsapp), in a real Chromium: the same
 * selectors and parsing the content script runs, on each fixture, against `expected.json`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ChatIdentity } from '../src/shared/chat.ts';
import { findChromium, quietChromiumArgs } from './support/chromium.ts';
import type { Detection } from './support/detection-entry.ts';

const fixtures = new URL('fixtures/whatsapp/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', fixtures), 'utf8')) as Record<
  string,
  { chat: ChatIdentity; messages?: unknown[]; format?: string }
>;

let browser: Browser;
let page: Page;
let script: string;

before(async () => {
  const bundle = await build({
    entryPoints: [new URL('support/detection-entry.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome116',
  });
  script = bundle.outputFiles[0]?.text ?? '';
  browser = await chromium.launch({
    executablePath: await findChromium(),
    headless: true,
    args: [...quietChromiumArgs, '--host-resolver-rules=MAP * ~NOTFOUND'],
  });
  // WhatsApp shows times in the browser's zone; a fixed one makes `sent_at` exact.
  const context = await browser.newContext({ timezoneId: 'Europe/Madrid', locale: 'es-ES' });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
});

async function load(file: string): Promise<void> {
  await page.setContent(readFileSync(new URL(file, fixtures), 'utf8'));
  await page.addScriptTag({ content: script });
}

type Exposed = { parleyDetection: Detection };
const detect = () => page.evaluate(() => (globalThis as unknown as Exposed).parleyDetection.detect());
const visibleMessages = () =>
  page.evaluate(() => (globalThis as unknown as Exposed).parleyDetection.messages(true));
const insert = (text: string) =>
  page.evaluate((value) => (globalThis as unknown as Exposed).parleyDetection.insert(value), text);

for (const [file, wanted] of Object.entries(expected)) {
  test(`${file}: detects ${wanted.chat.kind === 'phone' ? wanted.chat.phone : wanted.chat.kind}`, async () => {
    await load(file);
    assert.deepEqual(await detect(), wanted.chat);
    const read = await visibleMessages();
    if (wanted.messages !== undefined) assert.deepEqual(read.messages, wanted.messages);
    if (wanted.format !== undefined) assert.equal(read.format, wanted.format);
  });
}

test('insert into chat puts the text in the composer after what the agent typed, and sends nothing', async () => {
  await load('individual-chat.html');
  const composer = page.locator('footer [contenteditable="true"]');
  await composer.pressSequentially('Mira');
  const outcome = await insert('https://track.example/SE123');
  assert.deepEqual(outcome, { ok: true, value: null });
  assert.equal((await composer.innerText()).trim(), 'Mira https://track.example/SE123');
  // Still one outgoing message: nothing was sent.
  assert.equal(await page.locator('[data-id^="true_"]').count(), 1);
});

const lexical = (needsClick: boolean) =>
  page.evaluate((value) => (globalThis as unknown as Exposed).parleyDetection.lexical(value), needsClick);

test('a Lexical composer that never had focus: refused once, then the insert lands in its paragraph', async () => {
  await load('bare-ids-2026.html');
  await lexical(false);
  await page.evaluate(() => {
    const editor = document.querySelector('footer [data-lexical-editor]');
    editor?.addEventListener('input', () => {
      (globalThis as unknown as { inputs: number }).inputs =
        ((globalThis as unknown as { inputs?: number }).inputs ?? 0) + 1;
    });
  });
  const outcome = await insert('https://track.example/SE123');
  assert.deepEqual(outcome, { ok: true, value: null });
  const composer = page.locator('footer [data-lexical-editor]');
  assert.equal((await composer.innerText()).trim(), 'https://track.example/SE123');
  assert.equal(await composer.locator('p').count(), 1);
  // The first try reached the editor and was reverted; the second, in its paragraph, was taken.
  assert.equal(await page.evaluate(() => (globalThis as unknown as { inputs: number }).inputs), 2);
});

test('a message box that takes nothing: "not inserted", nothing sent; after a click it works', async () => {
  await load('bare-ids-2026.html');
  await lexical(true);
  const composer = page.locator('footer [data-lexical-editor]');
  const outcome = await insert('Hola');
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.failure.kind, 'not_inserted');
  assert.equal((await composer.innerText()).trim(), '');
  await composer.click();
  assert.deepEqual(await insert('Hola'), { ok: true, value: null });
  assert.equal((await composer.innerText()).trim(), 'Hola');
});

test('insert into chat without an open chat says so', async () => {
  await load('start-screen.html');
  const outcome = await insert('hola');
  assert.equal(outcome.ok, false);
});
