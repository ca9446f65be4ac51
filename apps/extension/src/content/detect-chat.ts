/**
 * Decides which chat is open from what the page shows, without touching the DOM itself, so every
 * rule is testable on plain data. A wrong customer is worse than none: whenever the signals do not
 * name exactly one phone, the answer is `no_phone` and the panel asks the agent to search and link.
 */
import type { ChatIdentity, ChatSource } from '../shared/chat.ts';
import { phoneFromDisplayedNumber } from '../shared/phone.ts';
import type { StoreChatSnapshot } from '../shared/store-bridge.ts';
import { parseChatJid, parseMessageDataId } from '../shared/whatsapp-ids.ts';

/** What the conversation pane shows (see `dom-snapshot.ts` for where each value is read). */
export interface DomChatSnapshot {
  /** False when no conversation is open (the start screen). */
  open: boolean;
  headerTitle: string | null;
  messageDataIds: readonly string[];
}

export function detectChat(store: StoreChatSnapshot | null, dom: DomChatSnapshot): ChatIdentity {
  const fromStore = store === null ? null : identityFromStore(store);
  if (fromStore?.kind === 'phone') return fromStore;
  // A group's header and rows never name its customer; do not let the DOM guess one.
  if (fromStore?.kind === 'no_phone' && fromStore.reason === 'group') return fromStore;
  const fromDom = identityFromDom(dom);
  if (fromDom.kind === 'phone' || fromStore === null || fromStore.kind === 'none') return fromDom;
  return fromStore;
}

export function identityFromStore(store: StoreChatSnapshot): ChatIdentity {
  if (store.chatJid === null) return { kind: 'none' };
  const source: ChatSource = 'store';
  const name = store.title;
  const chat = parseChatJid(store.chatJid);
  switch (chat.kind) {
    case 'user':
      return { kind: 'phone', phone: chat.phone, name, source };
    case 'group':
      return { kind: 'no_phone', reason: 'group', name, source };
    case 'lid': {
      // Only WhatsApp's own answers name the number (main-world/chat-phone.ts); never the @lid digits.
      const contact = store.phoneJid === null ? null : parseChatJid(store.phoneJid);
      return contact?.kind === 'user' && store.phoneFrom !== null
        ? { kind: 'phone', phone: contact.phone, name, source: store.phoneFrom }
        : { kind: 'no_phone', reason: 'lid', name, source };
    }
    case 'other':
      return { kind: 'no_phone', reason: 'unrecognized', name, source };
  }
}

export function identityFromDom(dom: DomChatSnapshot): ChatIdentity {
  if (!dom.open) return { kind: 'none' };
  const name = dom.headerTitle;
  const chatJids = new Set<string>();
  for (const dataId of dom.messageDataIds) {
    const parsed = parseMessageDataId(dataId);
    if (parsed !== null) chatJids.add(parsed.chatJid);
  }
  // WhatsApp shows an unsaved contact's number as the header title; it is the chat's own number.
  const headerPhone = name === null ? null : phoneFromDisplayedNumber(name);
  const [onlyJid, ...others] = chatJids;
  if (onlyJid !== undefined && others.length === 0) {
    const chat = parseChatJid(onlyJid);
    if (chat.kind === 'user') return { kind: 'phone', phone: chat.phone, name, source: 'messages' };
    if (chat.kind === 'group') return { kind: 'no_phone', reason: 'group', name, source: 'messages' };
    if (headerPhone !== null) return { kind: 'phone', phone: headerPhone, name, source: 'header' };
    return {
      kind: 'no_phone',
      reason: chat.kind === 'lid' ? 'lid' : 'unrecognized',
      name,
      source: 'messages',
    };
  }
  if (headerPhone !== null) return { kind: 'phone', phone: headerPhone, name, source: 'header' };
  return {
    kind: 'no_phone',
    reason: chatJids.size > 1 ? 'ambiguous' : 'unrecognized',
    name,
    source: chatJids.size > 0 ? 'messages' : 'header',
  };
}
