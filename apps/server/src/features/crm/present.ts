/** How CRM endpoints are shown over MCP: settings with secrets redacted, and their health. */
import type { crmEndpoints } from '../../db/schema.ts';
import { redactCredentials, type TargetCredentials } from '../../lib/credentials.ts';

export type CrmEndpointRow = typeof crmEndpoints.$inferSelect;

/** The settings a change compares; a stored row and a definition about to be saved both have them. */
export type CrmEndpointSettings = Pick<CrmEndpointRow, 'type' | 'url' | 'method' | 'timeoutMs'>;

export const presentEndpointSettings = (endpoint: CrmEndpointSettings, credentials: TargetCredentials) => ({
  type: endpoint.type,
  url: endpoint.url,
  method: endpoint.method,
  timeout_ms: endpoint.timeoutMs,
  ...redactCredentials(credentials),
});

const iso = (date: Date | null) => date?.toISOString() ?? null;

export const presentHealth = (row: CrmEndpointRow) => ({
  enabled: row.enabled,
  consecutive_errors: row.consecutiveErrors,
  last_error: row.lastError,
  last_error_at: iso(row.lastErrorAt),
  last_success_at: iso(row.lastSuccessAt),
  disabled_at: iso(row.disabledAt),
  last_probe_at: iso(row.lastProbeAt),
});

/** One line for summaries: `GET https://crm.example.com/customer`. */
export const describeTarget = (endpoint: Pick<CrmEndpointSettings, 'method' | 'url'>) =>
  `${endpoint.method} ${endpoint.url}`;
