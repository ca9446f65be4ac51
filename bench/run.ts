/**
 * `npm run bench`: runs every benchmark in this folder one after another (never in parallel: they would
 * measure each other), shows each one's output as it runs, and writes what it printed into
 * bench/README.md: one section per benchmark, with the date, commit, machine and load of the run.
 * `npm run bench -- startup` runs (and rewrites the sections of) only the benchmarks whose file name
 * contains "startup"; the other sections keep their last run. A benchmark that fails keeps its last
 * section too, and makes the command exit with 1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { format, resolveConfig } from 'prettier';

const folder = new URL('.', import.meta.url).pathname;
const readmePath = `${folder}README.md`;
const filter = process.argv[2] ?? '';
const benches = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts')
  .sort();

const HEADER = `# Benchmarks

Each benchmark measures its own baseline in the same run and prints its figures as ratios against it: the
machines are shared and their speed moves from hour to hour, so only ratios and CPU time per operation
compare across runs. \`npm run bench\` runs them all, one after another, and rewrites the sections below;
\`npm run bench -- <part of a file name>\` runs and rewrites only those. They are not tests: nothing here fails
the build. What the measurements taught, and the changes they led to, are in docs/decisions/ (see
docs/decisions/performance-notes.md). \`bench/ab/\` holds A/B scripts that compare two git revisions
of the server, bundled as \`npm start\` runs it; \`npm run bench\` does not run them.
`;

/** The first sentence of a benchmark's doc comment: what it measures (the file says how). */
function purposeOf(name: string): string {
  const source = readFileSync(`${folder}${name}`, 'utf8');
  const comment = /^\/\*\*\n([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
  const lines = comment.split('\n').map((line) => line.replace(/^ \*( |$)/, ''));
  // Up to the first blank line or list: a purpose is a sentence, not the file's whole description.
  const end = lines.findIndex((line) => line.trim() === '' || line.trimStart().startsWith('- '));
  const text = (end === -1 ? lines : lines.slice(0, end)).join(' ').replace(/\s+/g, ' ');
  return /^.*?[.?](?= |$)/.exec(text.trim())?.[0] ?? text.trim();
}

function gitOutput(args: string[]): string {
  return spawnSync('git', args, { cwd: folder, encoding: 'utf8' }).stdout.trim();
}

function runConditions(): string {
  const commit = gitOutput(['rev-parse', '--short', 'HEAD']) || 'unknown commit';
  const dirty = gitOutput(['status', '--porcelain']) === '' ? '' : ' with uncommitted changes';
  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  const at = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `${at} UTC, commit ${commit}${dirty}, ${machine}, Node ${process.version}, load average ${load} at the start`;
}

function section(name: string, conditions: string, output: string): string {
  return [
    `<!-- bench:${name} -->`,
    `## ${name}`,
    '',
    purposeOf(name),
    '',
    `\`node --import tsx bench/${name}\`: ${conditions}.`,
    '',
    '```',
    output.trimEnd(),
    '```',
    `<!-- /bench:${name} -->`,
  ].join('\n');
}

/** The sections of the README as it is, by benchmark. */
function currentSections(): Map<string, string> {
  const text = (() => {
    try {
      return readFileSync(readmePath, 'utf8');
    } catch {
      return '';
    }
  })();
  const sections = new Map<string, string>();
  for (const match of text.matchAll(/<!-- bench:(\S+) -->[\s\S]*?<!-- \/bench:\1 -->/g)) {
    sections.set(match[1] ?? '', match[0]);
  }
  return sections;
}

function runBench(name: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${folder}${name}`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

const sections = currentSections();
let failed = 0;
for (const name of benches.filter((bench) => bench.includes(filter))) {
  console.log(`\n## ${name}`);
  const conditions = runConditions();
  const { code, output } = await runBench(name);
  if (code !== 0) {
    failed++;
    console.log(`${name} failed (exit code ${code}): its section in bench/README.md keeps its last run.`);
    continue;
  }
  sections.set(name, section(name, conditions, output));
  const readme = [HEADER, ...benches.flatMap((bench) => sections.get(bench) ?? [])].join('\n\n');
  // Formatted as the repository's format check wants it, so a run leaves the tree clean.
  const options = { ...(await resolveConfig(readmePath)), filepath: readmePath };
  writeFileSync(readmePath, await format(readme, options));
}
process.exit(failed === 0 ? 0 : 1);
