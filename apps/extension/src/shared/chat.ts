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

/** Where the identity came from: WhatsApp's own chat store, or the page's markup. */
export type ChatSource = 'store' | 'messages' | 'header';

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
