/** The MCP tools of Smart Follow-up: thin adapters over its services (docs/smart-followup.md). */
import { z } from 'zod';
import { followupLogsInput, followupPeriodInput, saveSmartFollowupConfigInput } from '@parley/contract';
import { defineTool, type Tool } from '../tool.ts';
import {
  getSmartFollowupConfig,
  planSettingsChange,
  presentSettings,
  saveSmartFollowupConfig,
} from './config.ts';
import { getSmartFollowupLogs } from './logs.ts';
import { planTrigger, previewFollowup, triggerRun } from './on-demand.ts';
import { getSmartFollowupStats } from './stats.ts';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const conversationHashArg = z
  .string({ error: 'conversation_hash must be the 64-character hex hash of a conversation' })
  .regex(/^[0-9a-f]{64}$/, 'conversation_hash must be the 64-character hex hash of a conversation');

export const followupTools: Tool[] = [
  defineTool({
    kind: 'plain',
    name: 'get_smart_followup_config',
    title: 'Smart Follow-up settings',
    description:
      'Shows the Smart Follow-up settings (with their ranges in save_smart_followup_config), the shop time zone, ' +
      'when the next daily run is due, the last run, and warnings about anything that would make it find or ' +
      'send nothing (no conversations reported, no model, no purchase check endpoint, nobody to receive ' +
      'follow-ups). Read-only.',
    annotations: readOnly,
    input: z.strictObject({}),
    run: async (_args, { deps, shopId }) => getSmartFollowupConfig(deps, shopId),
  }),
  defineTool({
    kind: 'confirmed',
    name: 'save_smart_followup_config',
    title: 'Change Smart Follow-up settings',
    description:
      'Changes the Smart Follow-up settings; omitted settings keep their value, exclude_phones and run_days replace ' +
      'their lists. Side effects: turning it on schedules a daily run at run_hour on run_days (shop time zone) ' +
      'that analyses recent conversations with the AI (each analysis costs credits) and prepares follow-ups for ' +
      'agents and the followup.detected webhook. Parley never sends WhatsApp messages itself: auto_send_enabled ' +
      'cannot be turned on.',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    input: saveSmartFollowupConfigInput,
    plan: async (args, { deps, shopId }) => {
      const plan = await planSettingsChange(deps, shopId, args);
      const changed = Object.keys(plan.after).filter(
        (key) =>
          JSON.stringify(plan.before[key as keyof typeof plan.before]) !==
          JSON.stringify(plan.after[key as keyof typeof plan.after]),
      );
      return {
        summary:
          changed.length === 0
            ? 'no setting changes'
            : `change Smart Follow-up settings: ${changed.join(', ')}`,
        consequence: plan.after.enabled
          ? `Smart Follow-up runs daily; the next run is at ${plan.nextRunAt?.toISOString()}. Each analysed conversation costs credits.`
          : 'Smart Follow-up does not run on its own (enabled: false); trigger_smart_followup still runs it on demand.',
        before: presentSettings(plan.before),
        after: presentSettings(plan.after),
        commit: () => saveSmartFollowupConfig(deps, shopId, plan),
      };
    },
  }),
  defineTool({
    kind: 'confirmed',
    name: 'trigger_smart_followup',
    title: 'Run Smart Follow-up now',
    description:
      'Starts a Smart Follow-up run now, in the background, over the conversations with activity in the last ' +
      'lookback_hours (or only the one of conversation_hash). One run per shop at a time: a second is refused ' +
      'naming the run in progress. Side effects: up to max_conversations analysed by the AI (each costs ' +
      'credits), calls to the CRM, and follow-ups (with their followup.detected events) for customers who wanted ' +
      'to buy and did not. Never sends a WhatsApp message.',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    input: z.strictObject({
      conversation_hash: conversationHashArg
        .optional()
        .describe(
          'Run for this one conversation only (the hash of phone.detected and followup.* events, or of the logs).',
        ),
    }),
    plan: async (args, { deps, shopId }) => {
      const plan = await planTrigger(deps, shopId, args.conversation_hash);
      const scope =
        plan.chat === null
          ? `the conversations active since ${plan.window.from.toISOString()} (at most ${plan.settings.max_conversations} analysed)`
          : `the conversation with ${plan.chat.chatPhone}`;
      return {
        summary: `start a Smart Follow-up run over ${scope}`,
        consequence:
          'Each analysed conversation costs credits; follow-ups are created for agents and the followup.detected webhook. No message is sent to any customer.',
        before: { running: false },
        after: {
          running: true,
          window_from: plan.window.from.toISOString(),
          conversation: plan.chat?.chatPhone ?? null,
        },
        commit: () => triggerRun(deps, shopId, plan),
      };
    },
  }),
  defineTool({
    kind: 'plain',
    name: 'preview_smart_followup',
    title: 'Preview the follow-up of one conversation',
    description:
      'Analyses one conversation as a run would and shows the analysis, the drafted message, and what the run ' +
      'would do (follow up, or which skip reason). Records nothing and creates no follow-up. Side effects: one ' +
      'model call, charged in credits, and read-only CRM calls.',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    input: z.strictObject({
      conversation_hash: conversationHashArg.describe(
        'The conversation: its hash from the logs or an event.',
      ),
    }),
    run: async (args, { deps, shopId }) => previewFollowup(deps, shopId, args.conversation_hash),
  }),
  defineTool({
    kind: 'plain',
    name: 'get_smart_followup_logs',
    title: 'What Smart Follow-up did with each conversation',
    description:
      'Lists what runs did with each conversation, newest first, 20 a page: the action (drafted, webhook_fired, ' +
      'logged_only, skipped), the skip reason, the analysis (intent, outcome, product, objection, drafted ' +
      'message) and the follow-up state (pending, due, sent, dismissed, cancelled, expired; replied, converted). ' +
      'Filters: period, intent_level, action_taken, outcome, search (phone or product). Read-only.',
    annotations: readOnly,
    input: followupLogsInput,
    run: async (args, { deps, shopId }) => getSmartFollowupLogs(deps, shopId, args),
  }),
  defineTool({
    kind: 'plain',
    name: 'get_smart_followup_stats',
    title: 'Smart Follow-up results',
    description:
      'Sums a period (days of the shop time zone): the funnel analysed → eligible → followed up → replied → ' +
      'converted, response and conversion rates, revenue the CRM reported per currency, top products and ' +
      'objections, results per attempt number, skip reasons counted and credits used. Read-only.',
    annotations: readOnly,
    input: followupPeriodInput,
    run: async (args, { deps, shopId }) => getSmartFollowupStats(deps, shopId, args),
  }),
];
