/**
 * docs/side-panel.md: the side-panel API the extension calls (shop or agent token). Requests are validated by
 * the server with these schemas; responses are described by them so the extension can parse what it gets.
 * Phones are checked for shape here only: the server normalizes them with the shop's default country.
 */
import { z } from 'zod';
import { describeValue } from './crm/describe-value.ts';
import { crmAnswerIssue, panelCustomer, panelProduct, panelSearchResult } from './panel-entities.ts';

export * from './panel-entities.ts';

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;

/** A phone as the agent typed or the page showed it; the server answers 400 INVALID_PHONE if unusable. */
const phoneInput = z
  .string({ error: required('one phone number') })
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters');

const flag = z
  .enum(['1', 'true', '0', 'false'], { error: 'must be 1 or 0' })
  .transform((value) => value === '1' || value === 'true');

const limit = (fallback: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be a whole number from 1 to ${max}`)
    .max(max, `must be a whole number from 1 to ${max}`)
    .default(fallback);

/** What the CRM said, in one vocabulary for every panel call (docs/side-panel.md#looking-up-a-customer). */
export const panelCallStatuses = ['found', 'not_found', 'not_configured', 'disabled', 'error'] as const;
export type PanelCallStatus = (typeof panelCallStatuses)[number];

/** Why a call gave no data: a connector code (TIMEOUT, HTTP_STATUS, …), ENDPOINT_DISABLED or CRM_BUSY. */
export const panelCallError = z.object({ code: z.string(), message: z.string() });

/** Fields every answer that reached (or tried to reach) the CRM carries. */
const crmCallFields = {
  status: z.enum(panelCallStatuses),
  /** When the CRM answered (for a cached answer: when it was fetched, not now). */
  fetched_at: z.string(),
  /** How long the CRM took for this data; null when no call was made (not_configured, disabled, busy). */
  latency_ms: z.number().nullable(),
  error: panelCallError.optional(),
  /**
   * Parts of the CRM's answer that were left out, with their JSON path
   * (docs/crm-endpoints.md#how-values-are-read-leniency).
   */
  warnings: z.array(crmAnswerIssue),
};

// --- GET /api/panel/customer -------------------------------------------------------------------

export const customerLookupQuery = z.object({
  phone: phoneInput,
  /** 1 skips the cache and asks the CRM now: the agent asked for fresh data. */
  refresh: flag.default(false),
});
export type CustomerLookupQuery = z.output<typeof customerLookupQuery>;

export const customerLookupResponse = z.object({
  /** The looked-up phone in E.164. */
  phone: z.string(),
  ...crmCallFields,
  customers: z.array(panelCustomer),
  /** The phones linked to this chat, sent to the CRM as `relatedphones`. */
  linked_phones: z.array(z.string()),
  /** True when served from the cache (then possibly refreshed in the background). */
  cached: z.boolean(),
});
export type CustomerLookupResponse = z.output<typeof customerLookupResponse>;

// --- GET /api/panel/search ---------------------------------------------------------------------

export const panelSearchKinds = ['customers', 'products', 'global'] as const;
export type PanelSearchKind = (typeof panelSearchKinds)[number];

export const PANEL_SEARCH_DEFAULT_LIMIT = 10;
export const PANEL_SEARCH_MAX_LIMIT = 50;

export const panelSearchQuery = z.object({
  kind: z.enum(panelSearchKinds, {
    error: (issue) =>
      `${issue.input === undefined ? 'is required' : `${describeValue(issue.input)} is not a search kind`}; ` +
      `valid kinds: ${panelSearchKinds.join(', ')}`,
  }),
  q: z
    .string({ error: required('one search text') })
    .trim()
    .min(1, 'must not be empty: send the text to search for')
    .max(200, 'must be at most 200 characters'),
  /** The chat's phone, sent with a customer search so the CRM can rank that customer first. */
  phone: phoneInput.optional(),
  /**
   * Sent to products and global searches; the customers search type takes no limit
   * (docs/crm-endpoints.md#the-six-types).
   */
  limit: limit(PANEL_SEARCH_DEFAULT_LIMIT, PANEL_SEARCH_MAX_LIMIT),
});
export type PanelSearchQuery = z.output<typeof panelSearchQuery>;

const searchResponse = <K extends PanelSearchKind, R extends z.ZodType>(kind: K, result: R) =>
  z.object({ kind: z.literal(kind), query: z.string(), ...crmCallFields, results: z.array(result) });

export const panelSearchResponse = z.discriminatedUnion('kind', [
  searchResponse('customers', panelCustomer),
  searchResponse('products', panelProduct),
  searchResponse('global', panelSearchResult),
]);
export type PanelSearchResponse = z.output<typeof panelSearchResponse>;

// --- /api/panel/links --------------------------------------------------------------------------
// POST creates (201) or updates (200) a link; GET ?phone= lists a chat's links; DELETE /api/panel/links/:id
// answers 204, or 404 NOT_FOUND when the shop has no link with that id.

export const MAX_LINKS_PER_CHAT = 20;

const boundedText = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty; omit it instead')
    .max(max, `must be at most ${max} characters`);

export const createPanelLinkRequest = z.strictObject({
  /** The chat's phone. */
  phone: phoneInput,
  customer: z
    .strictObject(
      {
        /** The CRM's id, as a search result showed it (a number id is kept as its text). */
        id: z
          .union([z.string(), z.number()], { error: 'must be a string or a number' })
          .transform(String)
          .pipe(boundedText(200))
          .optional(),
        phone: phoneInput.optional(),
        name: boundedText(200).optional(),
        email: boundedText(320)
          .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
          .optional(),
      },
      { error: required('an object such as {"id":"123","phone":"+34612345678"}') },
    )
    .refine(
      (customer) => customer.id !== undefined || customer.phone !== undefined || customer.email !== undefined,
      { message: 'needs at least one of id, phone or email to identify the CRM customer' },
    ),
});
export type CreatePanelLinkRequest = z.output<typeof createPanelLinkRequest>;

export const linksQuery = z.object({ phone: phoneInput });

/** Who did something in the panel: the shop token, or an agent. */
export const panelActor = z.object({ kind: z.enum(['shop', 'agent']), agent_id: z.string().nullable() });

export const panelChatLink = z.object({
  id: z.string(),
  /** The chat's phone (E.164). */
  phone: z.string(),
  customer: z.object({
    id: z.string().nullable(),
    phone: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
  }),
  created_by: panelActor,
  created_at: z.string(),
});
export type PanelChatLink = z.output<typeof panelChatLink>;

/** 201 when the link is new; 200 when that customer was already linked (its details are updated). */
export const createPanelLinkResponse = z.object({ link: panelChatLink, created: z.boolean() });
export type CreatePanelLinkResponse = z.output<typeof createPanelLinkResponse>;

export const listPanelLinksResponse = z.object({
  phone: z.string(),
  links: z.array(panelChatLink),
  linked_phones: z.array(z.string()),
});
export type ListPanelLinksResponse = z.output<typeof listPanelLinksResponse>;

// --- GET /api/panel/audit (shop token only) ----------------------------------------------------

export const PANEL_AUDIT_DEFAULT_LIMIT = 50;
export const PANEL_AUDIT_MAX_LIMIT = 500;

export const auditQuery = z.object({
  phone: phoneInput.optional(),
  limit: limit(PANEL_AUDIT_DEFAULT_LIMIT, PANEL_AUDIT_MAX_LIMIT),
});
export type AuditQuery = z.output<typeof auditQuery>;

export const panelLookupAuditEntry = z.object({
  phone: z.string(),
  by: panelActor,
  status: z.enum(panelCallStatuses),
  cached: z.boolean(),
  at: z.string(),
});
export type PanelLookupAuditEntry = z.output<typeof panelLookupAuditEntry>;

/** Newest first. */
export const panelAuditResponse = z.object({ entries: z.array(panelLookupAuditEntry) });
export type PanelAuditResponse = z.output<typeof panelAuditResponse>;
