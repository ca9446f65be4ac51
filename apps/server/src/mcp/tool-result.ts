/**
 * The shapes of a tools/call result (docs/mcp.md#answers-and-errors): structuredContent plus the same JSON as
 * text, or an isError result with one `Error: …` text. Texts are capped so one call cannot flood the
 * model's context; the notice tells the model how to get the rest.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';

export const MAX_TEXT_CHARS = 50_000;

const truncationNotice = (total: number, kept: number) =>
  `\n\n[Truncated: this text has ${total} characters and only the first ${kept} are shown. ` +
  'Narrow the request (a more specific query or filter, fewer items, or one item at a time) to see the rest.]';

export function capText(text: string, max = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  // Sized with `max` as the count: the real count is smaller, so its notice is never longer.
  let kept = max - truncationNotice(text.length, max).length;
  // Never split a surrogate pair: half an emoji is not valid UTF-16.
  const last = text.charCodeAt(kept - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept -= 1;
  return text.slice(0, kept) + truncationNotice(text.length, kept);
}

export const toolResult = (
  structured: Record<string, unknown>,
  text: string = JSON.stringify(structured),
): CallToolResult => ({
  content: [{ type: 'text', text: capText(text) }],
  structuredContent: structured,
});

export const toolError = (message: string): CallToolResult => ({
  isError: true,
  content: [{ type: 'text', text: capText(`Error: ${message}`) }],
});
