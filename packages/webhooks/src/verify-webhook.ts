import { readHeader } from './headers.ts';
import { fail, type VerifyFailure } from './result.ts';
import { verifyStandard, type VerifyStandardInput } from './standard.ts';
import { verifyWazion } from './wazion.ts';
import { decodeWazionKey, invalidSecretMessage } from './secret.ts';

export type WebhookScheme = 'standard' | 'wazion';

export interface VerifyWebhookInput extends VerifyStandardInput {
  /**
   * The schemes to accept, by default both. `['standard']` refuses replays: a WAzion signature signs no
   * timestamp, so a recorded delivery stripped of its webhook-* headers still carries a valid one.
   */
  schemes?: readonly WebhookScheme[];
}

export type WebhookVerifyResult =
  | { ok: true; scheme: 'standard'; id: string; timestamp: number }
  | { ok: true; scheme: 'wazion' }
  | VerifyFailure;

/**
 * Verifies a delivery signed with either scheme. When `webhook-signature` is present its verdict is
 * final: falling back to the WAzion signature after a stale timestamp would let every replay through.
 */
export function verifyWebhook(input: VerifyWebhookInput): WebhookVerifyResult {
  const { headers, body, secret, schemes = ['standard', 'wazion'] } = input;
  if (schemes.includes('standard') && readHeader(headers, 'webhook-signature') !== undefined) {
    const result = verifyStandard(input);
    return result.ok ? { ...result, scheme: 'standard' } : result;
  }
  const wazionSignature = schemes.includes('wazion')
    ? (readHeader(headers, 'x-wazion-signature') ?? readHeader(headers, 'x-webhook-signature'))
    : undefined;
  if (wazionSignature === undefined) {
    return fail('MISSING_HEADER', `No signature header of the accepted schemes (${schemes.join(', ')}).`);
  }
  if (decodeWazionKey(secret) === undefined) return fail('INVALID_SECRET', invalidSecretMessage);
  return verifyWazion(body, secret, wazionSignature)
    ? { ok: true, scheme: 'wazion' }
    : fail('NO_MATCHING_SIGNATURE', 'X-WAzion-Signature does not match this body and secret.');
}
