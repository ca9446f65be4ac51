/**
 * Which phones one intake batch may detect (docs/conversations.md#what-is-detected), before the database says
 * which ones are new to the shop.
 */
import type { PhoneDetectionSource } from '@parley/contract';

export interface PhoneCandidate {
  phone: string;
  source: PhoneDetectionSource;
  /** The message the number was written in; null for the chat's own number. */
  messageId: string | null;
}

/**
 * The chat's own number first, then the numbers found in each message in order, each phone once.
 * A number equal to the chat's is the chat's own (an agent repeating it), never a `message` find.
 */
export function planPhoneCandidates(
  chatPhone: string,
  messages: readonly { id: string; phones: readonly string[] }[],
): PhoneCandidate[] {
  const candidates: PhoneCandidate[] = [{ phone: chatPhone, source: 'chat', messageId: null }];
  const seen = new Set([chatPhone]);
  for (const message of messages) {
    for (const phone of message.phones) {
      if (seen.has(phone)) continue;
      seen.add(phone);
      candidates.push({ phone, source: 'message', messageId: message.id });
    }
  }
  return candidates;
}
