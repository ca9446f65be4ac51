/** The MCP tools of the credits feature: thin adapters over its services. */
import { z } from 'zod';
import { defineTool, type Tool } from '../tool.ts';
import { getCreditsInfo } from './info.ts';
import { loadCreditShop } from './shop.ts';
import { getUsageStats } from './usage-stats.ts';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const isCalendarDay = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
};

const localDay = (which: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${which} must be a day as YYYY-MM-DD`)
    .refine(isCalendarDay, `${which} is not a calendar day`);

export const creditTools: Tool[] = [
  defineTool({
    kind: 'plain',
    name: 'get_credits_info',
    title: 'Credits left and renewal date',
    description:
      "Reports this shop's AI credits: free credits left this month (1,000,000 each calendar month in the shop's " +
      'time zone, not carried over, spent first), purchased credits left (never expire), the total, credits used ' +
      'this month and when the free credits renew. One credit is one token the model reports. Read-only.',
    annotations: readOnly,
    input: z.strictObject({}),
    run: async (_args, { deps, shopId }) => ({
      ...(await getCreditsInfo(deps, await loadCreditShop(deps, shopId))),
    }),
  }),
  defineTool({
    kind: 'plain',
    name: 'get_usage_stats',
    title: 'Credit usage by day and by feature',
    description:
      "Sums the credits spent between two days of the shop's time zone (inclusive; by default this month up to " +
      'today, at most 366 days): totals, each day with usage, and each feature (ai_reply = AI reply suggestions, ' +
      'smart_followup = Smart Follow-up analyses) ' +
      'with its calls and prompt and completion tokens. `unbilled` counts tokens used after the balance ran out ' +
      'mid-reply. Read-only.',
    annotations: readOnly,
    input: z.strictObject({
      from: localDay('from').optional().describe('First day, YYYY-MM-DD; default the 1st of this month.'),
      to: localDay('to').optional().describe('Last day, YYYY-MM-DD, included; default today.'),
    }),
    run: async (args, { deps, shopId }) => getUsageStats(deps, await loadCreditShop(deps, shopId), args),
  }),
];
