/**
 * Calls feature tools directly (preview, apply, run) with a ToolContext, for tests of a feature's
 * tools without the MCP protocol around them; and the assertions those tests share. `apply` plans and
 * commits in one shop change transaction, as a confirmed MCP call does, without the token checks.
 */
import { strict as assert } from 'node:assert';
import type { AppDeps } from '../../src/app-deps.ts';
import { inShopChange } from '../../src/features/shops/index.ts';
import { isAppError } from '../../src/lib/errors.ts';
import type { ChangePreview, Tool, ToolContext } from '../../src/features/tool.ts';

export interface DirectTools {
  preview(name: string, args?: Record<string, unknown>): Promise<ChangePreview>;
  apply(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  run(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** The tools of `tools` as one shop would call them. Arguments pass through the tool's own zod input. */
export function directTools(tools: readonly Tool[], deps: AppDeps, shopId: string): DirectTools {
  const ctx: ToolContext = { shopId, deps };
  const find = (name: string) => {
    const tool = tools.find((candidate) => candidate.name === name);
    if (tool === undefined) throw new Error(`No tool named ${name}.`);
    return tool;
  };
  const confirmed = (name: string) => {
    const tool = find(name);
    if (tool.kind !== 'confirmed') throw new Error(`${name} is not a confirmed tool.`);
    return tool;
  };
  return {
    preview: async (name, args = {}) => {
      const tool = confirmed(name);
      const { commit: _commit, ...preview } = await tool.plan(tool.input.strict().parse(args), ctx);
      return preview;
    },
    apply: async (name, args = {}) => {
      const tool = confirmed(name);
      const parsed = tool.input.strict().parse(args);
      return inShopChange(deps, shopId, async (inChange) =>
        (await tool.plan(parsed, { shopId, deps: inChange })).commit(),
      );
    },
    run: async (name, args = {}) => {
      const tool = find(name);
      if (tool.kind !== 'plain') throw new Error(`${name} is a confirmed tool; use preview or apply.`);
      return tool.run(tool.input.strict().parse(args), ctx);
    },
  };
}

/** Asserts the promise fails with an AppError of `code` whose message matches every pattern. */
export async function assertAppError(
  promise: Promise<unknown>,
  code: string,
  ...patterns: RegExp[]
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

/** Asserts no secret appears anywhere in the value once serialized. */
export function assertNoSecrets(value: unknown, secrets: readonly string[]): void {
  const text = JSON.stringify(value);
  for (const secret of secrets) assert.ok(!text.includes(secret), `a secret leaked: ${secret} in ${text}`);
}

/**
 * Every tool has a title, a description and annotations that tell the truth: a tool that writes
 * (confirmed, or plain but with a side effect such as spending credits) states its side effects; a
 * read-only one says so and is not destructive.
 */
export function assertToolMetadata(tools: readonly Tool[]): void {
  for (const tool of tools) {
    assert.ok(tool.title.length > 0, `${tool.name} has no title`);
    assert.ok(tool.description.length > 40, `${tool.name} has no real description`);
    if (tool.kind === 'confirmed' || !tool.annotations.readOnlyHint) {
      assert.equal(tool.annotations.readOnlyHint, false, `${tool.name} writes but claims to be read-only`);
      assert.match(tool.description, /Side effects:/, `${tool.name} does not state its side effects`);
    } else {
      assert.equal(tool.annotations.destructiveHint, false, `${tool.name} only reads`);
      assert.match(tool.description, /Read-only\./, `${tool.name} does not say it only reads`);
    }
  }
}
