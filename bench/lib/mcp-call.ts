/** One MCP `tools/call` over HTTP, as a 2025-06-18 client sends it; throws unless it succeeded. */
let nextId = 0;

export async function callMcpTool(
  url: string,
  name: string,
  args: Record<string, unknown>,
  authorization?: string,
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: ++nextId,
      method: 'tools/call',
      params: { name, arguments: args },
    }),
  });
  const body = (await response.json()) as { result?: { isError?: boolean; structuredContent?: unknown } };
  if (response.status !== 200 || body.result === undefined || body.result.isError === true) {
    throw new Error(`tools/call ${name} answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return body.result.structuredContent;
}
