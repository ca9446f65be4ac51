import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, renderConfigTable } from './config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 8787);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.PARLEY_DATA_DIR, './data');
    assert.equal(config.DATABASE_URL, undefined);
    assert.deepEqual(config.PARLEY_ALLOW_PRIVATE_TARGETS, []);
    assert.equal(config.PARLEY_DISABLE_DEMO, false);
  });

  it('parses booleans as booleans and the allow-list into rules', () => {
    const config = loadConfig({
      PARLEY_DISABLE_DEMO: 'true',
      PARLEY_ALLOW_PRIVATE_TARGETS: '127.0.0.1, 10.0.0.0/8',
    });
    assert.equal(config.PARLEY_DISABLE_DEMO, true);
    assert.equal(config.PARLEY_ALLOW_PRIVATE_TARGETS.length, 2);
  });

  it('names every bad variable in one error', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          PARLEY_ALLOW_PRIVATE_TARGETS: 'not an address!',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /PORT: .*\(got "eighty"\)/);
        assert.match(error.message, /DATABASE_URL: must start with postgres:\/\//);
        assert.match(error.message, /PARLEY_ALLOW_PRIVATE_TARGETS: .*not an address!/);
        return true;
      },
    );
  });

  it('wants URLs with their scheme and a bare listen address', () => {
    for (const [name, value] of [
      ['PARLEY_LLM_BASE_URL', 'localhost:11434'],
      ['PARLEY_LLM_BASE_URL', 'ftp://models.example.com'],
      ['PARLEY_PUBLIC_URL', 'parley.example.com'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        new RegExp(`Invalid configuration: ${name}: must be a URL starting with http:// or https://`),
      );
    }
    assert.throws(() => loadConfig({ HOST: 'http://0.0.0.0' }), /HOST: must be an address or host name/);
    const config = loadConfig({ PARLEY_LLM_BASE_URL: 'http://localhost:11434/v1', HOST: '::' });
    assert.equal(config.PARLEY_LLM_BASE_URL, 'http://localhost:11434/v1');
  });

  it('never echoes a sensitive value', () => {
    assert.throws(
      () => loadConfig({ PARLEY_SECRET_KEY: 'hunter2-is-my-key' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /PARLEY_SECRET_KEY: must be 32 bytes/);
        assert.equal(error.message.includes('hunter2'), false);
        return true;
      },
    );
  });
});

describe('README configuration table', () => {
  // Prettier pads markdown tables, so rows are compared cell by cell, not as raw text.
  const normalizeRow = (line: string) =>
    line
      .split('|')
      .map((cell) => cell.trim().replace(/^-+$/, '---'))
      .join('|');

  it('is the one rendered from the schema (npm run docs:config -w apps/server)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
      .split('\n')
      .map(normalizeRow);
    const expected = renderConfigTable().split('\n').map(normalizeRow);
    const start = readme.indexOf(expected[0] ?? '');
    assert.notEqual(start, -1, 'README.md has no configuration table');
    assert.deepEqual(
      readme.slice(start, start + expected.length),
      expected,
      'README.md configuration table is out of date',
    );
  });
});
