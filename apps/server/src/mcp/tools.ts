/** Every MCP tool Parley serves, in the order tools/list shows them. Features own their tools. */
import { assistantTools } from '../features/assistant/index.ts';
import { creditTools } from '../features/credits/index.ts';
import { crmTools } from '../features/crm/index.ts';
import { followupTools } from '../features/followup/index.ts';
import { functionTools } from '../features/functions/index.ts';
import { shopTools } from '../features/shops/index.ts';
import { webhookTools } from '../features/webhooks/index.ts';
import type { Tool } from '../features/tool.ts';

export const mcpTools: readonly Tool[] = [
  ...webhookTools,
  ...crmTools,
  ...functionTools,
  ...assistantTools,
  ...creditTools,
  ...followupTools,
  ...shopTools,
];
