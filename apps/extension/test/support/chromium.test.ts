// The Chromium finder's branches on a made-up machine: a PATH of temporary folders, a chosen user id, and
// an install command that puts a fake `chromium` on that PATH (the real flock and sh, never apt-get).
import { strict as assert } from 'node:assert';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { findChromium, INSTALLING_LINE, type ChromiumHost } from './chromium.ts';

let root: string;
/** Two folders on the made-up PATH, in this order. */
let bin: string;
let other: string;
let log: string;

/** A file that runs. */
function executable(path: string): string {
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

/** Where `name` is on this machine's PATH, for the made-up PATH to reach it. */
function realTool(name: string): string {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (existsSync(join(folder, name))) return join(folder, name);
  }
  throw new Error(`${name} is not on PATH`);
}

const installs = () => {
  const counter = join(root, 'installs');
  return existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0;
};

/** The made-up machine: root, apt-get on PATH, and an installer that adds `bin/chromium`. */
function host(overrides: Partial<ChromiumHost> = {}): ChromiumHost {
  const installer = join(root, 'install.mjs');
  const chromium = JSON.stringify(join(bin, 'chromium'));
  writeFileSync(
    installer,
    `import { appendFileSync, chmodSync, writeFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(join(root, 'installs'))}, 'installed\\n');
writeFileSync(${chromium}, '#!/bin/sh\\n');
chmodSync(${chromium}, 0o755);
`,
  );
  return {
    env: { PATH: [bin, other].join(delimiter) },
    uid: 0,
    installCommand: `"${process.execPath}" "${installer}"`,
    lockFile: join(root, 'install.lock'),
    log: (text) => {
      log += text;
    },
    ...overrides,
  };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'parley-chromium-finder-'));
  bin = join(root, 'bin');
  other = join(root, 'other');
  mkdirSync(bin);
  mkdirSync(other);
  // The tools the install runs under; apt-get itself is a stand-in that is never run.
  symlinkSync(realTool('flock'), join(bin, 'flock'));
  symlinkSync(realTool('sh'), join(bin, 'sh'));
  writeFileSync(join(bin, 'apt-get'), '#!/bin/sh\nexit 1\n');
  chmodSync(join(bin, 'apt-get'), 0o755);
  log = '';
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findChromium', () => {
  test('CHROME_PATH comes first, before any browser on PATH', async () => {
    executable(join(bin, 'chromium'));
    const chosen = executable(join(root, 'my-chrome'));
    assert.equal(await findChromium(host({ env: { CHROME_PATH: chosen, PATH: bin } })), chosen);
  });

  test('a CHROME_PATH that is not an executable file fails, naming it, instead of looking elsewhere', async () => {
    executable(join(bin, 'chromium'));
    const missing = join(root, 'nothing-here');
    await assert.rejects(findChromium(host({ env: { CHROME_PATH: missing, PATH: bin } })), (error: Error) => {
      assert.match(error.message, new RegExp(`CHROME_PATH is ${missing}`));
      assert.match(error.message, /\nunset CHROME_PATH$/);
      return true;
    });
  });

  test('on PATH, chromium is preferred to Chrome, and a browser in any folder of PATH is found', async () => {
    const chrome = executable(join(other, 'google-chrome-stable'));
    assert.equal(await findChromium(host()), chrome);
    const chromium = executable(join(other, 'chromium'));
    assert.equal(await findChromium(host()), chromium);
  });

  test('a file named chromium that cannot run is passed over', async () => {
    writeFileSync(join(bin, 'chromium'), 'not a program');
    const chrome = executable(join(other, 'google-chrome'));
    assert.equal(await findChromium(host()), chrome);
    assert.equal(installs(), 0);
  });

  test('none, not root: fails with the one command that installs it, and installs nothing', async () => {
    await assert.rejects(findChromium(host({ uid: 1000 })), (error: Error) => {
      assert.match(error.message, /found none/);
      assert.match(error.message, /\nsudo apt-get update && sudo apt-get install -y chromium$/);
      return true;
    });
    assert.equal(installs(), 0);
    assert.equal(log, '');
  });

  test('none, root but no apt-get: fails saying to point CHROME_PATH at a browser', async () => {
    rmSync(join(bin, 'apt-get'));
    await assert.rejects(findChromium(host()), /\nCHROME_PATH=\/path\/to\/chrome npm test$/);
    assert.equal(installs(), 0);
  });

  test('none, root with apt-get: installs once with the line printed once, even for test files starting together', async () => {
    const found = await Promise.all([findChromium(host()), findChromium(host()), findChromium(host())]);
    assert.deepEqual(found, Array(3).fill(join(bin, 'chromium')));
    assert.equal(installs(), 1);
    assert.equal(log.split(INSTALLING_LINE).length - 1, 1, log);
    // Installed now: the next run finds it and installs nothing.
    assert.equal(await findChromium(host()), join(bin, 'chromium'));
    assert.equal(installs(), 1);
  });

  test('an install that fails fails the test with its exit code and the command to run by hand', async () => {
    await assert.rejects(
      findChromium(host({ installCommand: 'echo "E: no network" >&2; exit 100' })),
      (error: Error) => {
        assert.match(error.message, /exit 100/);
        assert.match(error.message, /\napt-get update && apt-get install -y chromium$/);
        return true;
      },
    );
    assert.match(log, /E: no network/);
  });

  test('without flock to take the lock, the install fails with the command to run by hand', async () => {
    rmSync(join(bin, 'flock'));
    await assert.rejects(
      findChromium(host()),
      /Installing it failed \(spawn flock ENOENT.*\napt-get update/s,
    );
    assert.equal(installs(), 0);
  });

  test('an install that ends without a chromium on PATH fails instead of launching nothing', async () => {
    await assert.rejects(findChromium(host({ installCommand: 'true' })), /without a chromium on PATH/);
  });
});
