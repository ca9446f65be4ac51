/**
 * The server package's folder (apps/server), found from this module's location whether the server runs
 * from its sources (tsx: `npm run dev`, the tests) or from its bundle in dist/ (`npm start`). Files read
 * at run time (migrations, package.json, the console's build, the evaluation set) are named from it,
 * since a bundle gives every module the same `import.meta.url`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findServerRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@parley/server'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`The @parley/server package.json was not found above ${from}.`);
  }
}

export const serverRoot = findServerRoot(dirname(fileURLToPath(import.meta.url)));
