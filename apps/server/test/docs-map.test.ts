// docs/README.md maps every feature folder of the server: a folder added without its row fails here,
// so the map a newcomer reads first never silently misses a part of the code.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { serverRoot } from '../src/lib/server-root.ts';

const featuresDir = join(serverRoot, 'src', 'features');
const docsReadme = join(serverRoot, '..', '..', 'docs', 'README.md');

const featureFolders = (): string[] =>
  readdirSync(featuresDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

/** The feature folders named in the "where" column of the map's table rows. */
function mappedFeatures(markdown: string): Set<string> {
  const mapped = new Set<string>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((cell) => cell.trim());
    const where = /^`apps\/server\/src\/features\/([^/`]+)\/?`$/.exec(cells[2] ?? '');
    if (where?.[1] !== undefined) mapped.add(where[1]);
  }
  return mapped;
}

test('docs/README.md has a row for every folder in apps/server/src/features', () => {
  const folders = featureFolders();
  assert.ok(folders.length > 0, `no feature folders found in ${featuresDir}`);
  const mapped = mappedFeatures(readFileSync(docsReadme, 'utf8'));
  const missing = folders.filter((folder) => !mapped.has(folder));
  assert.deepEqual(
    missing,
    [],
    `add a row to the "Map of the server" table of docs/README.md for: ${missing.join(', ')}`,
  );
});

test('docs/README.md maps no feature folder that does not exist', () => {
  const folders = new Set(featureFolders());
  const mapped = mappedFeatures(readFileSync(docsReadme, 'utf8'));
  const stale = [...mapped].filter((name) => !folders.has(name));
  assert.deepEqual(stale, [], `remove or fix the docs/README.md rows for: ${stale.join(', ')}`);
});
