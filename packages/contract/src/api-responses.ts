/**
 * Shapes of REST answers that were described by interfaces or by the server's code alone: the error
 * body, shops and agents as the API shows them, credit purchases. They let docs/api.md describe every
 * answer from this package; the type checks at the bottom fail the build if a schema and the interface
 * it describes drift apart.
 */
import { z } from 'zod';
import type { AddCreditsResponse, CreditsInfo } from './credits.ts';
import type { ApiErrorBody } from './errors.ts';
import { agentPermissions } from './shops.ts';

/** The body of every REST error: a stable code and a message that says what to fix. */
export const apiErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const shownOnce = 'Shown once, here; the server keeps only its hash';

// --- shops (admin token) -----------------------------------------------------------------------

/** A shop as the API shows it: never its secrets. */
export const shopView = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2: the default country for reading phone numbers'),
  timezone: z.string(),
  locale: z.string(),
  settings: z.object({
    require_confirmation_token: z
      .boolean()
      .describe("When true, confirmed MCP writes must also pass the preview's confirmation_token"),
  }),
  disabled_at: z
    .string()
    .nullable()
    .describe('Since when the shop is disabled (its tokens refused, its deliveries held); null when enabled'),
  created_at: z.string(),
});
export type ShopView = z.output<typeof shopView>;

export const createShopResponse = z.object({ shop: shopView, token: z.string().describe(shownOnce) });
export const listShopsResponse = z.object({ shops: z.array(shopView) });
/** A shop after a change (update, disable, enable). */
export const shopResponse = z.object({ shop: shopView });
export const deleteShopResponse = z.object({ deleted: z.literal(true), id: z.string() });

export const shopTokenInfo = z.object({
  prefix: z.string().describe('The first characters of the token, to recognize it'),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});

export const rotateShopTokenResponse = z.object({
  token: z.string().describe(shownOnce),
  token_info: shopTokenInfo,
  mcp_url: z.string().describe('Where MCP clients reach this server'),
  message: z.string(),
});

// --- agents (shop token) -----------------------------------------------------------------------

export const agentView = z.object({
  id: z.string(),
  nickname: z.string(),
  name: z.string(),
  permissions: z.array(z.enum(agentPermissions)),
  created_at: z.string(),
  updated_at: z.string(),
  token_prefix: z.string().nullable().describe("The first characters of the agent's token, to recognize it"),
  token_created_at: z.string().nullable(),
  last_used_at: z.string().nullable().describe('When the agent last used its token; null if never'),
});
export type AgentView = z.output<typeof agentView>;

export const createAgentResponse = z.object({ agent: agentView, token: z.string().describe(shownOnce) });
export const listAgentsResponse = z.object({ agents: z.array(agentView) });
/** An agent after a change. */
export const agentResponse = z.object({ agent: agentView });
export const deleteAgentResponse = z.object({
  deleted: z.literal(true),
  id: z.string(),
  nickname: z.string().optional(),
});

// --- credits -----------------------------------------------------------------------------------

export const creditsInfo = z.object({
  free_left: z.number().int(),
  free_monthly: z.number().int(),
  purchased_left: z.number().int(),
  total_left: z.number().int(),
  used_this_month: z.number().int(),
  period: z.string().describe("The shop's month, YYYY-MM in its time zone"),
  renews_at: z.string().describe('When the free credits renew, as UTC ISO 8601'),
  timezone: z.string(),
});

export const addCreditsResponse = z.object({
  purchase: z.object({
    id: z.string(),
    amount: z.number().int(),
    reference: z.string(),
    created_at: z.string(),
  }),
  created: z
    .boolean()
    .describe('False when this reference had already been added (the earlier purchase is returned)'),
  credits: creditsInfo,
});

// --- MCP (the JSON-RPC envelope; the tools' own shapes are in their tool definitions) -----------

export const jsonRpcMessage = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  method: z.string().optional(),
  params: z.unknown().optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }).optional(),
});

// Compile-time only: each schema's output must be exactly the interface the server answers with.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
type _ApiSchemasMatchTheInterfaces = [
  Expect<Same<z.output<typeof apiErrorBody>, ApiErrorBody>>,
  Expect<Same<z.output<typeof creditsInfo>, CreditsInfo>>,
  Expect<Same<z.output<typeof addCreditsResponse>, AddCreditsResponse>>,
];
