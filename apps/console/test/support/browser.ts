/**
 * Chromium (never a downloaded browser), quiet and offline but for loopback. Found, or installed, by
 * the extension's test support (one finder for both apps' browser tests; test code only, so neither
 * workspace depends on the other).
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { findChromium, quietChromiumArgs } from '../../../extension/test/support/chromium.ts';

export const artifacts = new URL('../../test-artifacts/', import.meta.url).pathname;

export async function launchChromium(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: await findChromium(),
    headless: true,
    args: [
      ...quietChromiumArgs,
      // Nothing but loopback resolves: a request to any other host would fail the page, not leave.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}
