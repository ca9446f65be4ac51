import { z } from 'zod';

const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const shopName = z.string().trim().min(1, 'name is required').max(200);
const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as "ES" or "MX"')
  .transform((c) => c.toUpperCase());
const timezone = z.string().refine(isTimeZone, 'timezone must be an IANA time zone such as "Europe/Madrid"');
const locale = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale must be a BCP 47 tag such as "es-ES"');

export const createShopRequest = z.strictObject({
  name: shopName,
  country: country.default('ES'),
  timezone: timezone.default('Europe/Madrid'),
  locale: locale.default('es-ES'),
});
export type CreateShopRequest = z.output<typeof createShopRequest>;

export const agentPermissions = ['panel', 'conversations', 'ai'] as const;
export type AgentPermission = (typeof agentPermissions)[number];

export const createAgentRequest = z.strictObject({
  nickname: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,64}$/, 'nickname must be 1-64 letters, digits, ".", "_" or "-"'),
  name: z.string().trim().min(1, 'name is required').max(200),
  permissions: z.array(z.enum(agentPermissions)).default([...agentPermissions]),
});
export type CreateAgentRequest = z.output<typeof createAgentRequest>;

const someField = (object: object) => Object.keys(object).length > 0;

/** PATCH /api/admin/shops/:id: only the fields sent change; `settings` merges into the stored ones. */
export const updateShopRequest = z
  .strictObject({
    name: shopName.optional(),
    country: country.optional(),
    timezone: timezone.optional(),
    locale: locale.optional(),
    settings: z
      .strictObject({
        require_confirmation_token: z
          .boolean()
          .optional()
          .describe("When true, confirmed MCP writes must also pass the preview's confirmation_token."),
      })
      .optional(),
  })
  .refine(someField, 'send at least one of name, country, timezone, locale, settings');
export type UpdateShopRequest = z.output<typeof updateShopRequest>;

/** PATCH /api/agents/:id and update_agent: only the fields sent change. */
export const updateAgentRequest = z
  .strictObject({
    name: z.string().trim().min(1, 'name is required').max(200).optional(),
    permissions: z.array(z.enum(agentPermissions)).optional(),
  })
  .refine(someField, 'send name, permissions or both');
export type UpdateAgentRequest = z.output<typeof updateAgentRequest>;
