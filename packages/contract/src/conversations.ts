/**
 * docs/conversations.md: conversation intake (`POST /api/conversations/messages`) and the `phone.detected`
 * event data it produces (§6). The extension, any other channel and the tests share these shapes.
 */
import { z } from 'zod';
import { describeValue } from './crm/describe-value.ts';

/** Most messages one request may carry; a longer history is sent in several requests. */
export const MAX_MESSAGES_PER_REQUEST = 500;
/** WhatsApp's own limit for one text message. */
export const MAX_MESSAGE_TEXT_LENGTH = 65_536;
export const MAX_MESSAGE_ID_LENGTH = 256;
export const MAX_CHAT_NAME_LENGTH = 200;

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;

/** Shape only: the server also checks the number is valid for its country (libphonenumber). */
const e164Phone = z
  .string({ error: required('a string') })
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +34612345678');

export const messageDirections = ['in', 'out'] as const;
export type MessageDirection = (typeof messageDirections)[number];

export const conversationMessage = z.strictObject({
  /** The channel's own message id; intake is idempotent on it (per shop and chat). */
  id: z
    .string({ error: required('a string') })
    .min(1, 'must not be empty')
    .max(MAX_MESSAGE_ID_LENGTH, `must be at most ${MAX_MESSAGE_ID_LENGTH} characters`),
  direction: z.enum(messageDirections, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required ("in" from the customer, "out" from the business)'
        : `must be "in" or "out", got ${describeValue(issue.input)}`,
  }),
  /** May be empty (a photo without caption still belongs to the conversation). */
  text: z
    .string({ error: required('a string (empty for a message without text)') })
    .max(MAX_MESSAGE_TEXT_LENGTH, `must be at most ${MAX_MESSAGE_TEXT_LENGTH} characters`),
  sent_at: z.iso.datetime({
    offset: true,
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : 'must be an ISO 8601 date-time with a time zone, such as 2026-03-02T10:00:00Z',
  }),
});
export type ConversationMessage = z.output<typeof conversationMessage>;

export const postConversationMessagesRequest = z.strictObject({
  chat_phone: e164Phone,
  chat_name: z
    .string({ error: required('a string') })
    .trim()
    .max(MAX_CHAT_NAME_LENGTH, `must be at most ${MAX_CHAT_NAME_LENGTH} characters`)
    .optional(),
  messages: z
    .array(conversationMessage, { error: required('a list of messages') })
    .min(1, 'must list at least one message')
    .max(
      MAX_MESSAGES_PER_REQUEST,
      `must list at most ${MAX_MESSAGES_PER_REQUEST} messages per request; send the rest in another request`,
    ),
});
export type PostConversationMessagesRequest = z.output<typeof postConversationMessagesRequest>;

export const phoneDetectionSources = ['chat', 'message'] as const;
/** `chat`: a chat's own number seen for the first time; `message`: a number written in a message. */
export type PhoneDetectionSource = (typeof phoneDetectionSources)[number];

export const detectedPhone = z.strictObject({
  phone: z.string(),
  source: z.enum(phoneDetectionSources),
});
export type DetectedPhone = z.output<typeof detectedPhone>;

export const postConversationMessagesResponse = z.strictObject({
  /** Messages not seen before; a message id already stored for this chat is not counted again. */
  accepted: z.number().int().nonnegative(),
  /** Phones this request detected for the first time in the shop. */
  detected_phones: z.array(detectedPhone),
});
export type PostConversationMessagesResponse = z.output<typeof postConversationMessagesResponse>;

/** `data` of a `phone.detected` webhook event (docs/webhooks.md#phonedetected). */
export const phoneDetectedEventData = z.strictObject({
  phone: z.string(),
  detected_at: z.iso.datetime(),
  shop_id: z.string(),
  /** Keyed hash of shop and chat phone: stable, lets a receiver group events without the raw chat. */
  conversation_hash: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.enum(phoneDetectionSources),
  chat_phone: z.string(),
});
export type PhoneDetectedEventData = z.output<typeof phoneDetectedEventData>;
