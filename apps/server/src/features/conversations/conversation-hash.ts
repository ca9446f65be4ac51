/**
 * `conversation_hash` of `phone.detected` (docs/webhooks.md#phonedetected): lets a receiver group the events
 * of one chat without Parley revealing more than the event already does. Keyed, so it cannot be recomputed
 * (or reversed by trying every phone) without the server's key; stable across restarts because
 * the signing key is derived from the persistent secret key.
 */
import { createHmac } from 'node:crypto';

/** A key of its own, so this hash can never collide with another use of the signing key. */
export const conversationHashKey = (signingKey: Buffer): Buffer =>
  createHmac('sha256', signingKey).update('conversation-hash').digest();

/** Hex HMAC-SHA256 of shop and chat; `:` cannot occur in a shop id, so the pair is unambiguous. */
export const conversationHash = (key: Buffer, shopId: string, chatPhone: string): string =>
  createHmac('sha256', key).update(`${shopId}:${chatPhone}`).digest('hex');
