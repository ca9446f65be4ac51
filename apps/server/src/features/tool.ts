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

/** A write that needs `confirm: true` (docs/mcp.md#confirmed-changes). */
export interface ConfirmedTool<Schema extends z.ZodObject> extends ToolBase<Schema> {
  kind: 'confirmed';
  preview(args: z.output<Schema>, ctx: ToolContext): Promise<ChangePreview>;
  apply(args: z.output<Schema>, ctx: ToolContext): Promise<Record<string, unknown>>;
}

export type Tool<Schema extends z.ZodObject = z.ZodObject> = ReadTool<Schema> | ConfirmedTool<Schema>;

/** Keeps each tool's argument type while collecting tools of different schemas in one list. */
export const defineTool = <Schema extends z.ZodObject>(tool: Tool<Schema>): Tool => tool as unknown as Tool;
