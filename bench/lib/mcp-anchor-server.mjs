#!/usr/bin/env node
// The MCP anchor of bench/mcp-latency.ts: the smallest stateless MCP server the same SDK makes, on
// node:http, with one tool answering a fixed object the size of Parley's get_webhook_config. What
// Parley's tools/call costs beyond this is Parley's own (auth, rate limits, the tool, the database).
// Like Parley, each request gets its own server and a streamable HTTP transport answering in JSON.
/* global Headers, Request -- Node 20 has both */
import { createServer } from 'node:http';
import { McpServer, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { z } from 'zod';

const answer = {
  webhook_url: 'https://crm.example.com/hooks/parley',
  events: ['phone.detected', 'followup.detected'],
  enabled: true,
  secret_set: true,
  health: { status: 'healthy', consecutive_failures: 0, last_success_at: '2026-12-07T10:00:00.000Z' },
};

function mcpServer() {
  const server = new McpServer({ name: 'anchor', version: '1.0.0' });
  server.registerTool(
    'get_webhook_config',
    { description: 'The webhook configuration.', inputSchema: z.object({}) },
    async () => ({
      content: [{ type: 'text', text: JSON.stringify(answer) }],
      structuredContent: answer,
    }),
  );
  return server;
}

const http = createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/health') return res.end('ok');
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers });
  const server = mcpServer();
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    const response = await transport.handleRequest(request, {
      parsedBody: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  } finally {
    await server.close();
  }
});
http.listen(Number(process.env.PORT), '127.0.0.1');
