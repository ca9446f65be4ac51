import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests that build several apps do not share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'parley_http_request_duration_seconds',
      help: 'HTTP requests by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    mcpToolCalls: new Counter({
      name: 'parley_mcp_tool_calls_total',
      help: 'MCP tool calls by tool and outcome (ok, tool_error, fault).',
      labelNames: ['tool', 'outcome'] as const,
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: 'parley_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome (delivered, failed) and error class.',
      labelNames: ['outcome', 'error_class'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
