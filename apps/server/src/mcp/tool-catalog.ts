/**
 * The tool list as tools/list shows it, built once at start: each tool's JSON Schema comes from
 * its zod object (plus the confirmation fields for confirmed tools), so the advertised schema
 * and the validation can never drift apart.
 */
import type { Tool as ToolDescriptor } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Tool } from '../features/tool.ts';
import { confirmationControls } from './tool-arguments.ts';

export interface ToolCatalog {
  descriptors: ToolDescriptor[];
  find(name: string): Tool | undefined;
}

function inputSchemaOf(tool: Tool): ToolDescriptor['inputSchema'] {
  const schema = tool.kind === 'confirmed' ? tool.input.safeExtend(confirmationControls.shape) : tool.input;
  // MCP reads a schema without $schema as 2020-12 anyway, and some clients' validators refuse the
  // 2020-12 meta-schema URL when it is spelt out.
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema.strict(), { io: 'input' });
  // zod types its output as a wider JSON Schema than the SDK's JSON value; the value is plain JSON.
  return { ...json, type: 'object' } as ToolDescriptor['inputSchema'];
}

export function createToolCatalog(tools: readonly Tool[]): ToolCatalog {
  const byName = new Map<string, Tool>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`Two MCP tools are named ${tool.name}.`);
    byName.set(tool.name, tool);
  }
  const descriptors = tools.map((tool): ToolDescriptor => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputSchemaOf(tool),
    annotations: { title: tool.title, ...tool.annotations },
  }));
  return { descriptors, find: (name) => byName.get(name) };
}
