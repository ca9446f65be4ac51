/** The MCP tools of the shops feature (docs/tokens-and-agents.md): thin adapters over its services. */
import { z } from 'zod';
import { agentPermissions, createAgentRequest, updateAgentRequest } from '@parley/contract';
import { parseInput } from '../../lib/validation.ts';
import { defineTool, type Tool } from '../tool.ts';
import { createAgent, deleteAgent, describeAgent, listAgents, updateAgent } from './agents.ts';
import { describeShopToken, previewShopTokenRotation, rotateShopToken } from './shop-token.ts';

const agentId = z
  .string()
  .min(1)
  .max(100)
  .describe('The agent\'s id, as list_agents shows it (e.g. "agt_…").');

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export const shopTools: Tool[] = [
  defineTool({
    kind: 'plain',
    name: 'get_api_key',
    title: 'Describe the shop token',
    description:
      'Describes the shop token this MCP client uses: its prefix (enough to tell tokens apart), when it was ' +
      'created and last used (to the minute), and the MCP URL. Never the token itself: it is shown only when ' +
      'created or regenerated. Read-only.',
    annotations: readOnly,
    input: z.strictObject({}),
    run: (_args, ctx) => describeShopToken(ctx.deps, ctx.shopId),
  }),
  defineTool({
    kind: 'confirmed',
    name: 'regenerate_api_key',
    title: 'Replace the shop token',
    description:
      'Replaces the shop token with a new one and returns it, once. Side effects: the current token (the one ' +
      'this client is using) stops working at once in every Parley process, for MCP, the extension and any ' +
      'integration; give them the new token. Without confirm: true it only previews the change.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    input: z.strictObject({}),
    plan: async (_args, ctx) => ({
      ...(await previewShopTokenRotation(ctx.deps, ctx.shopId)),
      commit: async () => ({ status: 'applied', ...(await rotateShopToken(ctx.deps, ctx.shopId)) }),
    }),
  }),
  defineTool({
    kind: 'plain',
    name: 'list_agents',
    title: 'List agents',
    description:
      "Lists the shop's agents, oldest first: nickname, name, permissions, their token's prefix and when it " +
      'was created and last used (to the minute). Never a token. Read-only.',
    annotations: readOnly,
    input: z.strictObject({}),
    run: async (_args, ctx) => {
      const agents = await listAgents(ctx.deps.db, ctx.shopId);
      return { agents, count: agents.length };
    },
  }),
  defineTool({
    kind: 'plain',
    name: 'create_agent',
    title: 'Create an agent',
    description:
      'Creates an agent and returns its token, once (Parley keeps only its hash). Side effects: the token may ' +
      `use the side panel, conversations and AI suggestions as its permissions allow (${agentPermissions.join(', ')}; ` +
      'all by default), never MCP. The nickname must be new in this shop.',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    input: createAgentRequest,
    run: (args, ctx) => createAgent(ctx.deps, ctx.shopId, args),
  }),
  defineTool({
    kind: 'plain',
    name: 'update_agent',
    title: "Change an agent's name or permissions",
    description:
      "Changes an agent's name, permissions or both; its token stays the same. Side effects: new permissions " +
      'apply to its next request, in every Parley process.',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    input: z.strictObject({
      agent_id: agentId,
      name: z.string().optional().describe('The new display name (1-200 characters).'),
      permissions: z
        .array(z.string())
        .optional()
        .describe(`The complete new set of permissions, from: ${agentPermissions.join(', ')}.`),
    }),
    run: ({ agent_id, ...change }, ctx) =>
      updateAgent(ctx.deps, ctx.shopId, agent_id, parseInput(updateAgentRequest, change, 'arguments')),
  }),
  defineTool({
    kind: 'confirmed',
    name: 'delete_agent',
    title: 'Delete an agent',
    description:
      'Deletes an agent and revokes its token. Side effects: the token is refused at once in every Parley ' +
      'process; the lookups it made stay in the audit. Without confirm: true it only previews the change.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    input: z.strictObject({ agent_id: agentId }),
    plan: async ({ agent_id }, ctx) => {
      const agent = await describeAgent(ctx.deps.db, ctx.shopId, agent_id);
      return {
        summary: `delete agent "${agent.nickname}" (${agent.name})`,
        consequence: 'Its token stops working at once; its past lookups stay in the audit.',
        before: { agent },
        after: { agent: null },
        commit: async () => ({ status: 'applied', ...(await deleteAgent(ctx.deps, ctx.shopId, agent_id)) }),
      };
    },
  }),
];
