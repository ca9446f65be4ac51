/**
 * What a feature hands the MCP server: a tool is a thin adapter over a feature service.
 * The MCP layer owns the protocol (auth, argument parsing, confirmation flow, result shaping,
 * truncation); a tool only validates its input with zod and calls its service.
 */
import type { z } from 'zod';
import type { AppDeps } from '../app-deps.ts';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolContext {
  shopId: string;
  deps: AppDeps;
}

/** A change a confirmed tool would make, shown to the caller before it is applied. */
export interface ChangePreview {
  /** One line: what will change, e.g. `replace custom function "get_order" (GET → POST)`. */
  summary: string;
  /** What happens once applied, e.g. `The AI will call the new URL from the next reply on.` */
  consequence: string;
  /** Normalized state before and after, secrets redacted; these are what the confirmation token binds. */
  before: unknown;
  after: unknown;
  /**
   * State the confirmation token must also bind but the caller must never see, e.g. the stored
   * sealed secret: replacing a secret changes no visible field, yet the preview is then stale.
   */
  hidden?: unknown;
}

interface ToolBase<Schema extends z.ZodObject> {
  name: string;
  title: string;
  /** Must state the side effects. */
  description: string;
  annotations: ToolAnnotations;
  /** Arguments; unknown keys are refused. `confirm` and `confirmation_token` are added for confirmed tools. */
  input: Schema;
}

export interface ReadTool<Schema extends z.ZodObject> extends ToolBase<Schema> {
  kind: 'plain';
  run(args: z.output<Schema>, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** A change worked out from the current state: what it does, and the write that does exactly that. */
export interface ChangePlan extends ChangePreview {
  /**
   * Writes the planned change with the deps the plan was made with (for a confirmed call, the change's
   * transaction: features/shops/change-transaction.ts), from what the plan read rather than reading again,
   * so the write cannot drift from the preview. Called at most once; never for a preview.
   */
  commit(): Promise<Record<string, unknown>>;
}

/** A write that needs `confirm: true` (docs/mcp.md#confirmed-changes). */
export interface ConfirmedTool<Schema extends z.ZodObject> extends ToolBase<Schema> {
  kind: 'confirmed';
  /** Validates the arguments and plans the change from the current state; writes nothing itself. */
  plan(args: z.output<Schema>, ctx: ToolContext): Promise<ChangePlan>;
}

export type Tool<Schema extends z.ZodObject = z.ZodObject> = ReadTool<Schema> | ConfirmedTool<Schema>;

/**
 * Keeps each tool's argument type while collecting tools of different schemas in one list, and makes its
 * input strict once, here: a strict copy made per call is a new zod schema built on every tools/call.
 */
export const defineTool = <Schema extends z.ZodObject>(tool: Tool<Schema>): Tool =>
  ({ ...tool, input: tool.input.strict() }) as unknown as Tool;
