/**
 * Conversation intake (docs/conversations.md): stores a batch of a chat's messages, detects the phones the
 * shop has not seen before and records their `phone.detected` events, all in one transaction: a message
 * is never stored without its detections, a detection never without its event, and none twice.
 */
import type {
  ConversationMessage,
  PhoneDetectedEventData,
  PostConversationMessagesRequest,
  PostConversationMessagesResponse,
} from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { shopCountry } from '../shops/index.ts';
import { recordWebhookEvent } from '../webhooks/index.ts';
import { checkChatPhone } from './chat-phone.ts';
import { conversationHash, conversationHashKey } from './conversation-hash.ts';
import { createPhoneFinder } from './find-phones.ts';
import { planPhoneCandidates } from './plan-detections.ts';
import {
  insertNewDetections,
  insertNewMessages,
  newestOf,
  upsertChat,
  type IncomingMessage,
} from './store.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'signingKey' | 'invalidation'>;

/** A batch may repeat an id (a client retrying inside one request); the first copy counts. */
function firstOfEachId(messages: readonly ConversationMessage[]): IncomingMessage[] {
  const byId = new Map<string, IncomingMessage>();
  for (const message of messages) {
    if (byId.has(message.id)) continue;
    byId.set(message.id, {
      id: message.id,
      direction: message.direction,
      text: message.text,
      sentAt: new Date(message.sent_at),
    });
  }
  return [...byId.values()];
}

export async function ingestConversationMessages(
  deps: Deps,
  shopId: string,
  input: PostConversationMessagesRequest,
): Promise<PostConversationMessagesResponse> {
  const chat = { shopId, chatPhone: await checkChatPhone(input.chat_phone) };
  const country = await shopCountry(deps, shopId);
  const messages = firstOfEachId(input.messages);
  // Parsing texts is the CPU-heavy part; it runs before the transaction because on PGlite an open
  // transaction holds the process's only connection.
  const findPhones = await createPhoneFinder(country);
  const found = messages.map((message) => ({ id: message.id, phones: findPhones(message.text) }));
  const chatName = input.chat_name === undefined || input.chat_name === '' ? null : input.chat_name;
  const now = deps.clock.now();

  return deps.db.transaction(async (tx) => {
    await upsertChat(tx, chat, chatName, newestOf(messages), now);
    const accepted = await insertNewMessages(tx, chat, messages, now);
    // Only new messages detect: a message already stored had its chance when it arrived.
    const candidates = planPhoneCandidates(
      chat.chatPhone,
      found.filter((message) => accepted.has(message.id)),
    );
    const fresh = await insertNewDetections(tx, chat, candidates, now);
    const detected = candidates.filter((candidate) => fresh.has(candidate.phone));
    const hash = conversationHash(conversationHashKey(deps.signingKey), shopId, chat.chatPhone);
    for (const { phone, source } of detected) {
      const data: PhoneDetectedEventData = {
        phone,
        detected_at: now.toISOString(),
        shop_id: shopId,
        conversation_hash: hash,
        source,
        chat_phone: chat.chatPhone,
      };
      await recordWebhookEvent(tx, deps, { shopId, event: 'phone.detected', data });
    }
    return {
      accepted: accepted.size,
      detected_phones: detected.map(({ phone, source }) => ({ phone, source })),
    };
  });
}
