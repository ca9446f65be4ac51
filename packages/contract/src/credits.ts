/**
 * Credits (issue 6): what an AI call costs is its `total_tokens`. Every shop gets a monthly free
 * allowance; purchased credits are added by the operator (`POST /api/admin/shops/:id/credits`).
 */
import { z } from 'zod';

export const FREE_CREDITS_PER_MONTH = 1_000_000;
/** Far above any real purchase, far below 2^53 so sums stay exact. */
export const MAX_CREDIT_PURCHASE = 1_000_000_000_000;

export const addCreditsRequest = z.strictObject({
  amount: z
    .number({ error: 'is required: a positive whole number of credits' })
    .int('must be a whole number of credits')
    .positive('must be positive')
    .max(MAX_CREDIT_PURCHASE, `must be at most ${MAX_CREDIT_PURCHASE}`),
  /** The operator's reference for the purchase (invoice, payment id); a repeat is recognized, not added again. */
  reference: z
    .string({ error: 'is required: your reference for this purchase, e.g. an invoice number' })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
});
export type AddCreditsRequest = z.output<typeof addCreditsRequest>;

export interface CreditsInfo {
  free_left: number;
  free_monthly: number;
  purchased_left: number;
  total_left: number;
  used_this_month: number;
  /** The shop's month, `YYYY-MM` in its time zone. */
  period: string;
  /** When the free credits renew: the 1st of next month, 00:00 in the shop's time zone, as UTC ISO 8601. */
  renews_at: string;
  timezone: string;
}

export interface AddCreditsResponse {
  purchase: { id: string; amount: number; reference: string; created_at: string };
  /** False when this reference had already been added (the earlier purchase is returned). */
  created: boolean;
  credits: CreditsInfo;
}
