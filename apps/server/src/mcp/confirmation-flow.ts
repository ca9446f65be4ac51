/**
 * The confirmation flow of confirmed tools (docs/mcp.md#confirmed-changes). Without `confirm: true` the tool
 * only previews; with it, the change is applied, after checking the preview's token when one is
 * passed (or when the shop requires it). The preview is recomputed on every call, so a token
 * proves the caller saw exactly the change that is about to be made.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { getShop } from '../features/shops/index.ts';
import {
  checkConfirmationToken,
  issueConfirmationToken,
  type ConfirmationSubject,
} from './confirmation-token.ts';
import type { ChangePreview, ConfirmedTool, ToolContext } from '../features/tool.ts';
import type { ConfirmationControls } from './tool-arguments.ts';
import { toolError, toolResult } from './tool-result.ts';

type AnyConfirmedTool = ConfirmedTool<z.ZodObject>;

export async function runConfirmedTool(
  tool: AnyConfirmedTool,
  args: Record<string, unknown>,
  controls: ConfirmationControls,
  ctx: ToolContext,
): Promise<CallToolResult> {
  const preview = await tool.preview(args, ctx);
  const subject: ConfirmationSubject = {
    shopId: ctx.shopId,
    tool: tool.name,
    args,
    before: preview.before,
    after: preview.after,
    hidden: preview.hidden ?? null,
  };
  const now = ctx.deps.clock.now();
  const tokenRequired = (await getShop(ctx.deps.db, ctx.shopId)).settings.requireConfirmationToken === true;

  if (controls.confirm !== true) {
    return confirmationRequired(
      tool.name,
      preview,
      issueConfirmationToken(ctx.deps.signingKey, subject, now),
      tokenRequired,
    );
  }
  const previewAgain = `Nothing was changed. Call ${tool.name} again without "confirm" to preview the current state, then confirm with the new confirmation_token.`;
  if (controls.confirmation_token !== undefined) {
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
  } else if (tokenRequired) {
    return toolError(
      `This shop requires the confirmation_token from the preview to apply a change. Nothing was changed. Call ${tool.name} without "confirm" to preview, then again with the same arguments plus "confirm": true and that "confirmation_token".`,
    );
  }
  return toolResult(await tool.apply(args, ctx));
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
