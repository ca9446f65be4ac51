/**
 * The console's session routes (docs/console.md): a shop or admin token becomes a session cookie, and
 * the page asks who is signed in and which CSRF token to send.
 */
import { z } from 'zod';

const tokenRequired = 'token is required: paste a shop token (pk_shop_…) or the admin token (pk_admin_…)';

export const consoleSignInRequest = z.strictObject({
  token: z
    .string({ error: tokenRequired })
    .trim()
    .min(1, tokenRequired)
    .max(200, 'token is at most 200 characters; paste only the token'),
});
export type ConsoleSignInRequest = z.output<typeof consoleSignInRequest>;

export const consoleSessionResponse = z.object({
  kind: z.enum(['shop', 'admin']),
  shop: z
    .object({ id: z.string(), name: z.string(), locale: z.string() })
    .nullable()
    .describe('The signed-in shop; null for the admin'),
  csrf_token: z
    .string()
    .describe('Send it as the x-parley-csrf header with every console request that changes something'),
  expires_at: z.string(),
});
export type ConsoleSessionResponse = z.output<typeof consoleSessionResponse>;
