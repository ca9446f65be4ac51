/**
 * Docs give integrators code to copy; tests run that code exactly as written, so a snippet that drifts
 * from what Parley does fails. A block is marked with `<!-- verify-snippet:<name> -->` just before its
 * fence. A test appends a harness that reads cases as JSON on stdin and prints one JSON verdict per line.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const repoRoot = new URL('../../../../', import.meta.url);

/** Reads `docs/<file>` once; the returned function gives the code block marked `name`. */
export function docSnippets(file: string): (name: string, fence: string) => string {
  const doc = readFileSync(new URL(`docs/${file}`, repoRoot), 'utf8');
  return (name, fence) => {
    const marked = new RegExp(`<!-- verify-snippet:${name} -->\\s*\`\`\`${fence}\\n([\\s\\S]*?)\n\`\`\``);
    const code = marked.exec(doc)?.[1];
    assert.ok(code !== undefined, `docs/${file} has no ${fence} block marked verify-snippet:${name}`);
    return code;
  };
}

/** Runs a verifier program over the cases (JSON on stdin) and pairs each case's name with its verdict. */
export function verdicts(
  command: string,
  args: string[],
  cases: ReadonlyArray<{ name: string }>,
): Array<[string, boolean]> {
  return verdictLines(execFileSync(command, args, { input: JSON.stringify(cases), encoding: 'utf8' }), cases);
}

/** Pairs each case's name with the JSON verdict on its line of `output` (one line per case, nothing else). */
export function verdictLines(
  output: string,
  cases: ReadonlyArray<{ name: string }>,
): Array<[string, boolean]> {
  const lines = output.trim().split('\n');
  assert.equal(lines.length, cases.length, output);
  return cases.map(({ name }, index) => [name, JSON.parse(lines[index] ?? '') as boolean]);
}

/** The expected verdicts, in the shape `verdicts` returns. */
export const expectations = (cases: ReadonlyArray<{ name: string; expected: boolean }>) =>
  cases.map(({ name, expected }): [string, boolean] => [name, expected]);
