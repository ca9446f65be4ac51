/**
 * `npm run bench`: runs every benchmark in this folder one after another (never in parallel: they
 * would measure each other). Each prints its own figures and the baseline it measured in the same run.
 * `npm run bench -- startup` runs only the benchmarks whose file name contains "startup".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const folder = new URL('.', import.meta.url).pathname;
const filter = process.argv[2] ?? '';
const benches = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts' && name.includes(filter))
  .sort();

let failed = 0;
for (const name of benches) {
  console.log(`\n## ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${folder}${name}`], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
