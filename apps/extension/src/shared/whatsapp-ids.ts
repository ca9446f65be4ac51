/**
 * WhatsApp ids ("jids") as they appear in WhatsApp Web's store and in the `data-id` attributes of
 * message rows. Only a `@c.us` id carries a phone number: a `@lid` id is an opaque linked-device
 * number that merely looks like one, and a `@g.us` id names a group.
 */
import { phoneFromWhatsAppDigits } from './phone.ts';

export type ChatJid =
  | { kind: 'user'; jid: string; phone: string }
  | { kind: 'lid'; jid: string }
  | { kind: 'group'; jid: string }
  | { kind: 'other'; jid: string };

export function parseChatJid(jid: string): ChatJid {
  const user = /^(\d+)(?::\d+)?@c\.us$/.exec(jid);
  if (user?.[1] !== undefined) {
    const phone = phoneFromWhatsAppDigits(user[1]);
    return phone === null ? { kind: 'other', jid } : { kind: 'user', jid, phone };
  }
  if (/^\d+(?::\d+)?@lid$/.test(jid)) return { kind: 'lid', jid };
  if (/^[\d-]+@g\.us$/.test(jid)) return { kind: 'group', jid };
  return { kind: 'other', jid };
}

export interface MessageDataId {
  fromMe: boolean;
  /** The chat the message belongs to (for a group, the group, never the sender). */
  chatJid: string;
  messageId: string;
  /** A group message's sender. */
  participantJid: string | null;
}

/**
 * `data-id` of a message row: `<fromMe>_<chat jid>_<message id>[_<participant jid>]`, e.g.
 * `true_34655123987@c.us_3EB0C767D26A1D3E8F21` or, in a group,
 * `false_120363040000000000@g.us_3EB0C767D26A1D3E8F21_34655123987@c.us`.
 */
export function parseMessageDataId(dataId: string): MessageDataId | null {
  const match = /^(true|false)_([^_@\s]+@[a-z.]+)_([A-Za-z0-9]+)(?:_([^_@\s]+@[a-z.]+))?$/.exec(dataId);
  if (match === null) return null;
  const [, fromMe, chatJid, messageId, participantJid] = match;
  if (chatJid === undefined || messageId === undefined) return null;
  return { fromMe: fromMe === 'true', chatJid, messageId, participantJid: participantJid ?? null };
}
