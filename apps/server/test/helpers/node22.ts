/**
 * The MCP conformance suite and the MCP Inspector CLI need Node 22; Parley runs on the machine's
 * Node. tools/node22 (its own package, outside the workspaces) holds both with a Node 22 binary
 * from the registry, and they are only ever run with that binary. A fresh clone does not have
 * it installed yet: the first test that needs it installs it (helpers/tools-package.ts).
 */
import { spawn } from 'node:child_process';
import { toolsPackage } from './tools-package.ts';

const node22Tools = toolsPackage(
  'node22',
  ['node', 'mcp-inspector', 'conformance'],
  'Node 22, MCP conformance suite, Inspector CLI',
);

/** The Node 22 binary, and the tools run with it. */
export const node22 = node22Tools.bin('node');
const tools = {
  inspector: node22Tools.bin('mcp-inspector'),
  conformance: node22Tools.bin('conformance'),
} as const;

/** Installs tools/node22 unless it is there; test files running at once install it once. */
export const ensureNode22Tools = node22Tools.ensure;

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the tools with the Node 22 binary; stdin is closed, as in CI. */
export function runNode22Tool(
  tool: keyof typeof tools,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<ToolRun> {
  const child = spawn(node22, [tools[tool], ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
