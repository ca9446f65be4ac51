/**
 * Every REST route under /api, tied to the contract schemas it reads and answers with: the one list
 * docs/api.md and GET /api/openapi.json are generated from. test/openapi.test.ts fails when Fastify
 * serves a route under /api that is not listed here (or in `notDocumented`), when a listed route is
 * not served, or when the callers listed here are not the ones the route lets in.
 * Adding a route: see the header of docs/api.md.
 */
import {
  addCreditsRequest,
  addCreditsResponse,
  agentResponse,
  auditQuery,
  consoleSessionResponse,
  consoleSignInRequest,
  createAgentRequest,
  createAgentResponse,
  createPanelLinkRequest,
  createPanelLinkResponse,
  createShopRequest,
  createShopResponse,
  deleteAgentResponse,
  deleteShopResponse,
  customerLookupQuery,
  customerLookupResponse,
  dismissFollowupRequest,
  followupChangeResponse,
  jsonRpcMessage,
  linksQuery,
  listAgentsResponse,
  listFollowupsQuery,
  listFollowupsResponse,
  listPanelLinksResponse,
  listShopsResponse,
  panelAuditResponse,
  panelSearchQuery,
  panelSearchResponse,
  postConversationMessagesRequest,
  postConversationMessagesResponse,
  rotateShopTokenResponse,
  shopResponse,
  suggestReplyRequest,
  suggestReplyResponse,
  updateAgentRequest,
  updateShopRequest,
  type AgentPermission,
} from '@parley/contract';
import { z } from 'zod';
import type { ApiErrorCode } from './openapi-errors.ts';

export type Caller = 'admin' | 'shop' | 'agent';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface DocumentedResponse {
  description: string;
  /** Omitted for an answer without a body (204, 304). */
  schema?: z.ZodType;
  headers?: Record<string, string>;
}

export interface DocumentedRoute {
  method: HttpMethod;
  /** As registered in Fastify (`/api/panel/links/:id`). */
  path: string;
  tag: string;
  summary: string;
  description: string;
  /** Whose bearer token the route takes; empty for a public route. */
  callers: readonly Caller[];
  /** The permission an agent token must hold (shop tokens hold every permission). */
  agentPermission?: AgentPermission;
  /**
   * The console's session cookie (http/console/bridge.ts): `accepted` in place of the bearer token of
   * the session's shop or admin, `required` by the console's own routes.
   */
  consoleSession?: 'accepted' | 'required';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Readonly<Record<number, DocumentedResponse>>;
  /**
   * The codes this route answers beyond the ones every route of its kind can (docs/api.md,
   * "Errors"): UNAUTHORIZED and FORBIDDEN with a token, body errors with a body, VALIDATION_FAILED
   * with a body or query.
   */
  errors: readonly ApiErrorCode[];
  /** The route speaks JSON-RPC (MCP): its errors are JSON-RPC errors, not Parley's error body. */
  jsonRpc?: true;
}

/** Routes Fastify serves under /api that are not operations of their own, and why. */
export interface UndocumentedRoute {
  method: Uppercase<HttpMethod>;
  path: string;
  reason: string;
}

const idParam = (what: string) => z.object({ id: z.string().min(1).max(200).describe(`The ${what}'s id`) });

const shopOrAgent = ['shop', 'agent'] as const;

/** Only the fields a client needs to recognize the document; the format is OpenAPI 3.1. */
const openApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
  components: z.record(z.string(), z.unknown()).optional(),
});

export const documentedRoutes: readonly DocumentedRoute[] = [
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'Documentation',
    summary: 'This API as an OpenAPI 3.1 document',
    description:
      'The document docs/api.md is rendered from. Public, and cacheable: it changes only with the server version (ETag).',
    callers: [],
    responses: {
      200: {
        description: 'The OpenAPI 3.1 document.',
        schema: openApiDocument,
        headers: { etag: "The document's hash; send it back as If-None-Match." },
      },
      304: { description: 'Not modified: the If-None-Match header named the current document.' },
    },
    errors: [],
  },
  {
    method: 'post',
    path: '/api/admin/shops',
    consoleSession: 'accepted',
    tag: 'Shops',
    summary: 'Create a shop',
    description:
      'Creates a shop and its shop token. The token is in this answer only; the server keeps its hash. `country` is the default country for reading phone numbers.',
    callers: ['admin'],
    body: createShopRequest,
    responses: { 201: { description: 'The shop and its token.', schema: createShopResponse } },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/admin/shops',
    consoleSession: 'accepted',
    tag: 'Shops',
    summary: 'List shops',
    description: 'Every shop of this server, oldest first.',
    callers: ['admin'],
    responses: { 200: { description: 'The shops.', schema: listShopsResponse } },
    errors: [],
  },
  {
    method: 'patch',
    path: '/api/admin/shops/:id',
    consoleSession: 'accepted',
    tag: 'Shops',
    summary: 'Update a shop',
    description:
      'Only the fields sent change; `settings` merges into the stored settings. Every process sees the change at once.',
    callers: ['admin'],
    params: idParam('shop'),
    body: updateShopRequest,
    responses: { 200: { description: 'The shop as it is now.', schema: shopResponse } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/admin/shops/:id/token',
    consoleSession: 'accepted',
    tag: 'Shops',
    summary: "Replace a shop's token",
    description:
      'A new shop token, shown once in this answer; the old one is refused from then on, by every process.',
    callers: ['admin'],
    params: idParam('shop'),
    responses: { 200: { description: 'The new token, once.', schema: rotateShopTokenResponse } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/admin/shops/:id/disable',
    consoleSession: 'accepted',
    tag: 'Shops',
    summary: 'Disable a shop',
    description:
      'Every token of the shop is refused and its webhook deliveries wait, until it is enabled again; nothing is deleted. Disabling again keeps the first `disabled_at`.',
    callers: ['admin'],
    params: idParam('shop'),
    responses: { 200: { description: 'The shop, disabled.', schema: shopResponse } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/admin/shops/:id/enable',
    consoleSession: 'accepted',
    tag: 'Shops',
    summary: 'Enable a shop',
    description: 'Its tokens work again and the deliveries held meanwhile are sent.',
    callers: ['admin'],
    params: idParam('shop'),
    responses: { 200: { description: 'The shop, enabled.', schema: shopResponse } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/api/admin/shops/:id',
    consoleSession: 'accepted',
    tag: 'Shops',
    summary: 'Delete a shop and its data',
    description:
      'Removes the shop and everything stored for it: tokens, agents, conversations, settings, logs.',
    callers: ['admin'],
    params: idParam('shop'),
    responses: { 200: { description: 'Deleted.', schema: deleteShopResponse } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/admin/shops/:id/credits',
    consoleSession: 'accepted',
    tag: 'Credits',
    summary: 'Add purchased credits to a shop',
    description:
      'Purchased credits never expire and are spent after the monthly free ones. The reference makes a retry harmless: the same reference with the same amount answers the earlier purchase (200); with another amount, CONFLICT.',
    callers: ['admin'],
    params: idParam('shop'),
    body: addCreditsRequest,
    responses: {
      201: { description: 'The purchase was added.', schema: addCreditsResponse },
      200: {
        description: 'This reference was already added: the earlier purchase.',
        schema: addCreditsResponse,
      },
    },
    errors: ['NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/api/agents',
    consoleSession: 'accepted',
    tag: 'Agents',
    summary: 'Create an agent',
    description:
      'Creates an agent of the calling shop and its token (in this answer only). Agents use the side panel, conversations and AI suggestions as their permissions allow, never MCP configuration.',
    callers: ['shop'],
    body: createAgentRequest,
    responses: { 201: { description: 'The agent and its token.', schema: createAgentResponse } },
    errors: ['CONFLICT'],
  },
  {
    method: 'get',
    path: '/api/agents',
    consoleSession: 'accepted',
    tag: 'Agents',
    summary: "List the shop's agents",
    description: 'The agents of the calling shop, oldest first. Never their tokens.',
    callers: ['shop'],
    responses: { 200: { description: 'The agents.', schema: listAgentsResponse } },
    errors: [],
  },
  {
    method: 'patch',
    path: '/api/agents/:id',
    consoleSession: 'accepted',
    tag: 'Agents',
    summary: 'Update an agent',
    description:
      "Only the fields sent change. Narrowed permissions apply from the agent's next request, in every process.",
    callers: ['shop'],
    params: idParam('agent'),
    body: updateAgentRequest,
    responses: { 200: { description: 'The agent as it is now.', schema: agentResponse } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/agents/:id/token',
    consoleSession: 'accepted',
    tag: 'Agents',
    summary: "Replace an agent's token",
    description: "A new token, shown once in this answer; the agent's old one is refused from then on.",
    callers: ['shop'],
    params: idParam('agent'),
    responses: { 200: { description: 'The agent and its new token.', schema: createAgentResponse } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/api/agents/:id',
    consoleSession: 'accepted',
    tag: 'Agents',
    summary: 'Delete an agent',
    description: 'Revokes its token and removes it; the lookup audit keeps its id.',
    callers: ['shop'],
    params: idParam('agent'),
    responses: { 200: { description: 'Deleted.', schema: deleteAgentResponse } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/conversations/messages',
    tag: 'Conversations',
    summary: "Store a chat's messages and detect phones",
    description:
      "Idempotent per message id: posting the same batch again is a normal retry that stores nothing twice (200 either way). A phone the shop sees for the first time (the chat's own, or one written in a message) is detected once and emits `phone.detected` (docs/webhooks.md).",
    callers: shopOrAgent,
    agentPermission: 'conversations',
    body: postConversationMessagesRequest,
    responses: {
      200: {
        description: 'How many messages were new, and the phones detected.',
        schema: postConversationMessagesResponse,
      },
    },
    errors: [],
  },
  {
    method: 'post',
    path: '/api/ai/suggest-reply',
    tag: 'AI',
    summary: 'Draft a reply for a chat',
    description:
      "A draft for the agent to edit and send; nothing is sent to the customer. The model reads the CRM's context and the chat (the messages sent, or the ones stored for the chat) and may call the shop's custom functions. Costs the reply's `total_tokens` in credits.",
    callers: shopOrAgent,
    agentPermission: 'ai',
    body: suggestReplyRequest,
    responses: {
      200: {
        description: 'The draft, what it was based on and what it cost.',
        schema: suggestReplyResponse,
        headers: { 'server-timing': 'Where the time went: total, model, functions and crm, in ms.' },
      },
    },
    errors: [
      'INVALID_PHONE',
      'NO_CREDITS',
      'CREDITS_BUSY',
      'AI_NOT_CONFIGURED',
      'AI_PROVIDER_ERROR',
      'AI_BAD_RESPONSE',
      'AI_EMPTY_REPLY',
      'AI_TIMEOUT',
    ],
  },
  {
    method: 'get',
    path: '/api/panel/customer',
    tag: 'Side panel',
    summary: 'Look up the customers of a phone in the CRM',
    description:
      "Asks the shop's `sidePanel_CustomerInfo` CRM endpoint (docs/crm-endpoints.md), cached per phone with stale-while-revalidate. What the CRM said is in `status`: a CRM that fails or is not configured is still a 200. Every lookup is recorded in the audit.",
    callers: shopOrAgent,
    agentPermission: 'panel',
    query: customerLookupQuery,
    responses: { 200: { description: "The CRM's answer, normalized.", schema: customerLookupResponse } },
    errors: ['INVALID_PHONE'],
  },
  {
    method: 'get',
    path: '/api/panel/search',
    tag: 'Side panel',
    summary: 'Search the CRM for customers, products or anything',
    description: "Asks the shop's CRM search endpoint of that kind; what the CRM said is in `status`.",
    callers: shopOrAgent,
    agentPermission: 'panel',
    query: panelSearchQuery,
    responses: { 200: { description: 'The results of the kind asked for.', schema: panelSearchResponse } },
    errors: ['INVALID_PHONE'],
  },
  {
    method: 'post',
    path: '/api/panel/links',
    tag: 'Side panel',
    summary: 'Link a chat to a CRM customer',
    description:
      'Later CRM calls for the chat send the linked phones as `relatedphones`. Linking never writes to the CRM. Linking the same customer again updates its details (200).',
    callers: shopOrAgent,
    agentPermission: 'panel',
    body: createPanelLinkRequest,
    responses: {
      201: { description: 'A new link.', schema: createPanelLinkResponse },
      200: {
        description: 'That customer was already linked; its details are updated.',
        schema: createPanelLinkResponse,
      },
    },
    errors: ['INVALID_PHONE', 'TOO_MANY_LINKS'],
  },
  {
    method: 'get',
    path: '/api/panel/links',
    tag: 'Side panel',
    summary: "List a chat's links",
    description: 'The customers linked to the chat, and the phones sent to the CRM with it.',
    callers: shopOrAgent,
    agentPermission: 'panel',
    query: linksQuery,
    responses: { 200: { description: "The chat's links.", schema: listPanelLinksResponse } },
    errors: ['INVALID_PHONE'],
  },
  {
    method: 'delete',
    path: '/api/panel/links/:id',
    tag: 'Side panel',
    summary: 'Remove a link',
    description: 'Removes one link of the calling shop.',
    callers: shopOrAgent,
    agentPermission: 'panel',
    params: idParam('link'),
    responses: { 204: { description: 'Removed.' } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/panel/audit',
    tag: 'Side panel',
    summary: 'Who looked up which phone',
    description: "The lookup audit, newest first: for the shop's owner, not for its agents.",
    callers: ['shop'],
    query: auditQuery,
    responses: { 200: { description: 'The latest lookups.', schema: panelAuditResponse } },
    errors: ['INVALID_PHONE'],
  },
  {
    method: 'get',
    path: '/api/followups',
    tag: 'Follow-ups',
    summary: "The agents' follow-up queue",
    description: 'Follow-ups Smart Follow-up drafted for agents to send (docs/smart-followup.md).',
    callers: shopOrAgent,
    agentPermission: 'panel',
    query: listFollowupsQuery,
    responses: { 200: { description: 'The follow-ups of that status.', schema: listFollowupsResponse } },
    errors: [],
  },
  {
    method: 'post',
    path: '/api/followups/:id/sent',
    tag: 'Follow-ups',
    summary: 'Mark a follow-up as sent',
    description:
      'The agent sent the suggested message (or their own); tracking of a reply or purchase starts.',
    callers: shopOrAgent,
    agentPermission: 'panel',
    params: idParam('follow-up'),
    responses: { 200: { description: 'The follow-up as it is now.', schema: followupChangeResponse } },
    errors: ['NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/api/followups/:id/dismiss',
    tag: 'Follow-ups',
    summary: 'Dismiss a follow-up',
    description: 'The agent decided not to send it; the reason is kept for the shop.',
    callers: shopOrAgent,
    agentPermission: 'panel',
    params: idParam('follow-up'),
    body: dismissFollowupRequest,
    responses: { 200: { description: 'The follow-up as it is now.', schema: followupChangeResponse } },
    errors: ['NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/api/console/session',
    tag: 'Console',
    summary: 'Sign in to the console',
    description:
      'Turns a shop token or the admin token into an HttpOnly session cookie for the console page (docs/console.md). Agent tokens are refused: they are for the side panel.',
    callers: [],
    body: consoleSignInRequest,
    responses: {
      204: {
        description: 'Signed in.',
        headers: { 'set-cookie': 'The session cookie, HttpOnly and SameSite=Strict.' },
      },
    },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'CSRF_REJECTED'],
  },
  {
    method: 'get',
    path: '/api/console/session',
    tag: 'Console',
    summary: 'Who is signed in to the console',
    description:
      'The signed-in shop (or the admin), when the session ends, and the CSRF token to send with changes.',
    callers: [],
    consoleSession: 'required',
    responses: { 200: { description: 'The session.', schema: consoleSessionResponse } },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'delete',
    path: '/api/console/session',
    tag: 'Console',
    summary: 'Sign out of the console',
    description:
      'Ends the session and clears its cookie; without a session there is nothing to end (204 too).',
    callers: [],
    consoleSession: 'accepted',
    responses: { 204: { description: 'Signed out.' } },
    errors: [],
  },
  {
    method: 'post',
    path: '/api/mcp',
    consoleSession: 'accepted',
    tag: 'MCP',
    summary: 'The MCP endpoint (Streamable HTTP, stateless)',
    description:
      'One JSON-RPC message per request, answered as JSON; `initialize` needs no token. The tools and their inputs are listed by `tools/list` (README.md, "Configure it over MCP"). Errors are JSON-RPC errors with the HTTP status: 400 (parse error, invalid request), 403 (missing or wrong token: no `WWW-Authenticate` challenge, since the server does not use OAuth; or a Host/Origin that does not name this server), 406 (Accept lacks application/json), 415 (not JSON), 429 (rate limit, or too many unknown tokens from one address; with Retry-After). docs/mcp.md. A refused console session answers Parley\'s error body instead (`SESSION_ENDED`, `CSRF_REJECTED`).',
    callers: ['shop'],
    body: jsonRpcMessage,
    responses: {
      200: { description: 'The JSON-RPC answer (a result or a JSON-RPC error).', schema: jsonRpcMessage },
      202: { description: 'A notification was accepted; there is no answer.' },
    },
    errors: [],
    jsonRpc: true,
  },
];

export const notDocumented: readonly UndocumentedRoute[] = [
  { method: 'POST', path: '/api/mcp/', reason: 'the MCP endpoint with a trailing slash' },
  ...(['GET', 'DELETE', 'PUT', 'PATCH'] as const).flatMap((method) =>
    ['/api/mcp', '/api/mcp/'].map((path) => ({
      method,
      path,
      reason: 'answers 405: the MCP endpoint is stateless and takes POST only',
    })),
  ),
];
