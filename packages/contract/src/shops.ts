import { z } from 'zod';

const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

export const createShopRequest = z.strictObject({
  name: z.string().trim().min(1, 'name is required').max(200),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as "ES" or "MX"')
    .transform((c) => c.toUpperCase())
    .default('ES'),
  timezone: z
    .string()
    .refine(isTimeZone, 'timezone must be an IANA time zone such as "Europe/Madrid"')
    .default('Europe/Madrid'),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale must be a BCP 47 tag such as "es-ES"')
    .default('es-ES'),
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
