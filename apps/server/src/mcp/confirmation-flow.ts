/**
 * The confirmation flow of confirmed tools (docs/mcp.md#confirmed-changes). Without `confirm: true` the tool
 * only previews; with it, the change is applied, after checking the preview's token when one is
 * passed (or when the shop requires it). A confirmed call plans the change again, checks the token
 * against that plan and writes it, all in one transaction that holds the shop's change lock
 * (features/shops/change-transaction.ts): no other confirmed change lands between the check and the write,
 * so a token proves the caller saw exactly the change that is made.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { getShop, inShopChange } from '../features/shops/index.ts';
import {
  checkConfirmationToken,
  issueConfirmationToken,
  type ConfirmationSubject,
} from './confirmation-token.ts';
import type { ChangePlan, ChangePreview, ConfirmedTool, ToolContext } from '../features/tool.ts';
import type { ConfirmationControls } from './tool-arguments.ts';
import { toolError, toolResult } from './tool-result.ts';

type AnyConfirmedTool = ConfirmedTool<z.ZodObject>;

/** A confirmation refused inside the transaction: thrown to roll it back, answered as its result. */
class Refusal {
  constructor(readonly result: CallToolResult) {}
}

export async function runConfirmedTool(
  tool: AnyConfirmedTool,
  args: Record<string, unknown>,
  controls: ConfirmationControls,
  ctx: ToolContext,
): Promise<CallToolResult> {
  if (controls.confirm !== true) {
    // A preview writes nothing, so it needs neither the transaction nor the lock; its commit is dropped.
    const plan = await tool.plan(args, ctx);
    const now = ctx.deps.clock.now();
    return confirmationRequired(
      tool.name,
      plan,
      issueConfirmationToken(ctx.deps.signingKey, subjectOf(tool, args, plan, ctx), now),
      await tokenRequired(ctx),
    );
  }
  try {
    return await inShopChange(ctx.deps, ctx.shopId, async (deps) => {
      const inChange: ToolContext = { shopId: ctx.shopId, deps };
      const plan = await tool.plan(args, inChange);
      const refusal = await checkConfirmation(tool, args, plan, controls, inChange);
      if (refusal !== undefined) throw new Refusal(refusal);
      return toolResult(await plan.commit());
    });
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    throw error;
  }
}

const subjectOf = (
  tool: AnyConfirmedTool,
  args: Record<string, unknown>,
  plan: ChangePlan,
  ctx: ToolContext,
): ConfirmationSubject => ({
  shopId: ctx.shopId,
  tool: tool.name,
  args,
  before: plan.before,
  after: plan.after,
  hidden: plan.hidden ?? null,
});

const tokenRequired = async (ctx: ToolContext) =>
  (await getShop(ctx.deps.db, ctx.shopId)).settings.requireConfirmationToken === true;

/** Why a confirmed call may not write this plan, or undefined when it may. */
async function checkConfirmation(
  tool: AnyConfirmedTool,
  args: Record<string, unknown>,
  plan: ChangePlan,
  controls: ConfirmationControls,
  ctx: ToolContext,
): Promise<CallToolResult | undefined> {
  const previewAgain = `Nothing was changed. Call ${tool.name} again without "confirm" to preview the current state, then confirm with the new confirmation_token.`;
  if (controls.confirmation_token !== undefined) {
    const subject = subjectOf(tool, args, plan, ctx);
    const now = ctx.deps.clock.now();
    const check = checkConfirmationToken(ctx.deps.signingKey, subject, controls.confirmation_token, now);
    if (check === 'expired') {
      return toolError(
        `The confirmation_token has expired (tokens are valid for 10 minutes). ${previewAgain}`,
      );
    }
    if (check === 'mismatch') {
      return toolError(
        `The confirmation_token does not match this change: the state moved since the preview (the configuration was changed in between) or the arguments differ from the previewed ones. ${previewAgain}`,
      );
    }
  } else if (await tokenRequired(ctx)) {
    return toolError(
      `This shop requires the confirmation_token from the preview to apply a change. Nothing was changed. Call ${tool.name} without "confirm" to preview, then again with the same arguments plus "confirm": true and that "confirmation_token".`,
    );
  }
  return undefined;
}

function confirmationRequired(
  toolName: string,
  preview: ChangePreview,
  token: string,
  tokenRequired: boolean,
): CallToolResult {
  const tokenHint = tokenRequired
    ? `and "confirmation_token": "${token}" (this shop requires it)`
    : `(adding "confirmation_token": "${token}" makes sure nothing changed since this preview)`;
  const changes = { before: preview.before, after: preview.after };
  const text = [
    `⚠️ CONFIRMATION REQUIRED: ${preview.summary}`,
    preview.consequence,
    `Nothing has been changed yet. To apply it, call ${toolName} again with the same arguments plus "confirm": true ${tokenHint}. The token is valid for 10 minutes.`,
    `Changes: ${JSON.stringify(changes)}`,
  ].join('\n');
  return toolResult({ status: 'confirmation_required', changes, confirmation_token: token }, text);
}
