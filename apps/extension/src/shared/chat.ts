/** What the content script knows about the chat open in a WhatsApp Web tab. */

/** Why a chat that is open has no usable phone number. */
export type NoPhoneReason = 'lid' | 'group' | 'unrecognized' | 'ambiguous';

export type ChatIdentity =
  | { kind: 'none' }
  | {
      kind: 'phone';
      /** E.164, after the country quirks of `phone.ts`. */
      phone: string;
      name: string | null;
      source: ChatSource;
    }
  | { kind: 'no_phone'; reason: NoPhoneReason; name: string | null; source: ChatSource };

/**
 * Where the identity came from. WhatsApp's own store: `store` (the chat's own id), `contact` (the
 * contact's `phoneNumber`), `lid_map` (WhatsApp's LID→phone map), `contact_fields` (the contact's
 * other fields). The page's markup: `messages` (message rows' ids) or `header` (the header title).
 */
export type ChatSource = 'store' | 'contact' | 'lid_map' | 'contact_fields' | 'messages' | 'header';

/** Two identities are the same chat when this key is equal; a change of key is a change of chat. */
export function chatKey(chat: ChatIdentity): string {
  switch (chat.kind) {
    case 'none':
      return 'none';
    case 'phone':
      return `phone:${chat.phone}`;
    case 'no_phone':
      return `no_phone:${chat.reason}:${chat.name ?? ''}`;
  }
}
