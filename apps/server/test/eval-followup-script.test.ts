/**
 * The Smart Follow-up eval runner (scripts/eval-followup.ts) run the way a person runs it: a child
 * process from the repository root, against a scripted OpenAI-compatible model on loopback. The
 * real runs are against real models and stay out of CI; this only checks the runner's plumbing.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { after, before, beforeEach, test } from 'node:test';
import type { FollowupAnalysis } from '@parley/contract';
import { readEvalSet } from '../src/features/followup/eval-set.ts';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';

const repoRoot = new URL('../../..', import.meta.url).pathname;

const answer: FollowupAnalysis = {
  intent_level: 'medium',
  outcome: 'abandoned',
  product_mentioned: 'running shoes',
  customer_objection: null,
  sentiment: 'neutral',
  opt_out_requested: false,
  evidence_message_ids: ['m1'],
  suggested_message: 'Hi! Still thinking about the shoes?',
  reason: 'Asked for a size, then went quiet.',
};
const usage = { prompt_tokens: 700, completion_tokens: 112 };

let llm: ScriptedLlm;
before(async () => {
  llm = await startScriptedLlm();
});
beforeEach(() => llm.reset());
after(() => llm.close());

async function runScript(args: string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'apps/server/scripts/eval-followup.ts', ...args],
    {
      cwd: repoRoot,
      // Only what is given: a PARLEY_LLM_* of the developer's shell must not reach a real model.
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // 'close' comes after both streams ended, so nothing written is missed.
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderrLines: stderr.split('\n').filter((line) => line !== '') };
}

const modelEnv = () => ({ PARLEY_LLM_BASE_URL: llm.baseUrl, PARLEY_LLM_MODEL: 'scripted-model' });

test('a run prints a progress line per conversation, then the summary', async () => {
  llm.setFallback({ text: JSON.stringify(answer), usage });
  const { code, stdout, stderrLines } = await runScript(['--limit', '3'], modelEnv());
  assert.equal(code, 0, stderrLines.join('\n'));

  const firstThree = readEvalSet()
    .cases.slice(0, 3)
    .map((item) => item.id);
  assert.equal(stderrLines.length, 3, stderrLines.join('\n'));
  stderrLines.forEach((line, index) =>
    assert.match(line, new RegExp(`^\\[${index + 1}/3\\] \\S+ \\w+ … ok \\d+ tokens`)),
  );
  assert.deepEqual(stderrLines.map((line) => line.split(' ')[1]).sort(), [...firstThree].sort());

  assert.match(
    stdout,
    /^Smart Follow-up eval: 3 conversations, model scripted-model, min_intent_level medium$/m,
  );
  assert.match(stdout, /^Should follow up +precision .+ recall /m);
  assert.match(stdout, /^Opt-out +precision /m);
  assert.match(stdout, /^Schema validity +100\.0% \(3\/3\) of the answers; 0 calls got no answer$/m);
  assert.match(stdout, new RegExp(`^Credits +${812 * llm.requests.length} tokens`, 'm'));
  assert.match(stdout, /^ {2}abandoned +precision /m);
  assert.match(stdout, /^Should-follow-up errors by category$/m);
});

test('--json, --only and --min-intent shape a machine-readable run', async () => {
  llm.setFallback({ text: JSON.stringify(answer), usage });
  const { code, stdout, stderrLines } = await runScript(
    ['--json', '--only', 'opt_out', '--limit', '2', '--min-intent', 'high', '--concurrency', '1'],
    modelEnv(),
  );
  assert.equal(code, 0, stderrLines.join('\n'));
  const report = JSON.parse(stdout) as {
    model: string;
    score: { cases: number; min_intent_level: string; tokens: number };
    results: Array<{ category: string }>;
  };
  assert.equal(report.model, 'scripted-model');
  assert.equal(report.score.cases, 2);
  assert.equal(report.score.min_intent_level, 'high');
  assert.equal(report.score.tokens, 812 * llm.requests.length);
  assert.deepEqual(
    report.results.map((result) => result.category),
    ['opt_out', 'opt_out'],
  );
  assert.equal(stderrLines.length, 2);
});

test('a model that is down is reported per conversation and counted, not fatal', async () => {
  llm.setFallback({ status: 503, body: { error: { message: 'overloaded' } } });
  const { code, stdout, stderrLines } = await runScript(['--limit', '2'], modelEnv());
  assert.equal(code, 0, stderrLines.join('\n'));
  for (const line of stderrLines) assert.match(line, /^\[\d\/2\] \S+ \w+ … error \d+ tokens/);
  assert.match(stdout, /^Schema validity +n\/a of the answers; 2 calls got no answer$/m);
});

test('missing model variables exit 2 with one line that names them', async () => {
  const neither = await runScript(['--limit', '3'], {});
  assert.equal(neither.code, 2);
  assert.equal(neither.stdout, '');
  assert.equal(neither.stderrLines.length, 1);
  assert.match(
    neither.stderrLines[0] ?? '',
    /^eval-followup: PARLEY_LLM_BASE_URL and PARLEY_LLM_MODEL are not set/,
  );

  const noModel = await runScript([], { PARLEY_LLM_BASE_URL: llm.baseUrl });
  assert.equal(noModel.code, 2);
  assert.match(noModel.stderrLines[0] ?? '', /^eval-followup: PARLEY_LLM_MODEL is not set/);
  assert.equal(llm.requests.length, 0);
});

test('an unknown category is refused before any call', async () => {
  const { code, stderrLines } = await runScript(['--only', 'furniture'], modelEnv());
  assert.equal(code, 2);
  assert.match(
    stderrLines[0] ?? '',
    /^eval-followup: --only must be one of abandoned, support_only, .*; got "furniture"$/,
  );
  assert.equal(llm.requests.length, 0);
});
