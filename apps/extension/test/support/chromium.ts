/**
 * The Chromium the browser tests drive (through playwright-core, never a downloaded browser), found
 * where it is: CHROME_PATH, then a Chromium or Chrome on PATH. When there is none and this process may
 * install Debian's package (root, apt-get), it installs it, once even when several test files start
 * together; otherwise the test fails with the one command that fixes it. It never skips.
 *
 * The console's browser tests (apps/console/test/support/browser.ts) import this file by relative path:
 * test code only, so no workspace depends on another.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The names Debian, Ubuntu and Google's packages give the browser, in the order they are tried. */
const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export const DEBIAN_INSTALL =
  'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium';
export const INSTALLING_LINE =
  "Installing Chromium from Debian's packages for the browser tests (apt-get install chromium)…";

export interface ChromiumHost {
  /** Where to look: CHROME_PATH, then each folder of PATH. */
  env: Readonly<Record<string, string | undefined>>;
  /** Only root may install Debian's package; undefined where there are no user ids. */
  uid: number | undefined;
  /** The shell command that installs the `chromium` command (DEBIAN_INSTALL). */
  installCommand: string;
  /** Held (flock) around the install, so that test files starting together install once. */
  lockFile: string;
  /** Receives the installing line and the installer's output. */
  log(text: string): void;
}

export const systemHost: ChromiumHost = {
  env: process.env,
  uid: process.getuid?.(),
  installCommand: DEBIAN_INSTALL,
  lockFile: join(tmpdir(), 'parley-chromium-install.lock'),
  log: (text) => process.stderr.write(text),
};

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first of `names` that is an executable file in a folder of PATH. */
function onPath(env: ChromiumHost['env'], names: readonly string[]): string | undefined {
  const folders = (env.PATH ?? '').split(delimiter).filter((folder) => folder !== '');
  for (const name of names) {
    for (const folder of folders) {
      if (isExecutableFile(join(folder, name))) return join(folder, name);
    }
  }
  return undefined;
}

const NOT_FOUND = `The browser tests need Chromium and found none (CHROME_PATH, then ${BROWSER_NAMES.join(', ')} on PATH).`;

/**
 * Installs Chromium under an exclusive lock: a process that waited for the lock finds `chromium`
 * installed by the one that held it and installs nothing, and only the installer prints the line.
 */
async function install(host: ChromiumHost): Promise<void> {
  const script = `command -v chromium >/dev/null 2>&1 || { echo "${INSTALLING_LINE}" >&2; ${host.installCommand}; }`;
  const child = spawn('flock', [host.lockFile, 'sh', '-c', script], {
    env: host.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => host.log(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => host.log(chunk.toString()));
  // flock is util-linux's, on every Debian; without it the install fails like any other, with the command.
  const code = await once(child, 'close').then(
    ([exitCode]) => `exit ${String(exitCode)}`,
    (error: Error) => error.message,
  );
  if (code !== 'exit 0') {
    throw new Error(
      `${NOT_FOUND} Installing it failed (${code}, output above). Run:\napt-get update && apt-get install -y chromium`,
    );
  }
}

/** The path of the Chromium to launch; see the top of this file. */
export async function findChromium(host: ChromiumHost = systemHost): Promise<string> {
  const chosen = host.env.CHROME_PATH;
  if (chosen !== undefined && chosen !== '') {
    if (isExecutableFile(chosen)) return chosen;
    throw new Error(
      `CHROME_PATH is ${chosen}, which is not an executable file. Run the tests without it:\nunset CHROME_PATH`,
    );
  }
  const found = onPath(host.env, BROWSER_NAMES);
  if (found !== undefined) return found;
  const apt = onPath(host.env, ['apt-get']) !== undefined;
  if (!apt)
    throw new Error(
      `${NOT_FOUND} Point CHROME_PATH at Chrome or Chromium:\nCHROME_PATH=/path/to/chrome npm test`,
    );
  if (host.uid !== 0)
    throw new Error(
      `${NOT_FOUND} Install Debian's package:\nsudo apt-get update && sudo apt-get install -y chromium`,
    );
  await install(host);
  const installed = onPath(host.env, BROWSER_NAMES);
  if (installed === undefined) throw new Error(`${NOT_FOUND} The install ended without a chromium on PATH.`);
  return installed;
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
