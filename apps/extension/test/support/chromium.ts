/**
 * Debian's Chromium, as STACK.md prescribes (never a downloaded browser). A missing browser fails
 * the test with the fix, instead of skipping it.
 */
import { existsSync } from 'node:fs';

const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumPath(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}. Install Debian's package: apt-get install -y chromium (.ci/run does it).`,
    );
  }
  return CHROMIUM_PATH;
}

/** Quiet, sandbox-free (containers), and nothing reaching out on its own. */
export const quietChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
