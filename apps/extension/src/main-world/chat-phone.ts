/**
 * The number of a one-to-one chat WhatsApp addresses by a `@lid` (linked-device) id. WhatsApp fills
 * `contact.phoneNumber` only when it knew the mapping as it created the contact's model; the
 * maintained libraries ask its LID→phone map instead: `WAWebApiContact.getPhoneNumber(lid)` in
 * pedroslopez/whatsapp-web.js (src/util/Injected/Utils.js, enforceLidAndPnRetrieval) and
 * `lidPnCache.getPhoneNumber(lid)` of the same module in wppconnect-team/wa-js
 * (src/whatsapp/misc/LidPnCache.ts, src/contact/functions/getPnLidEntry.ts). Only a `@c.us` id is
 * ever taken for a number: when WhatsApp hides it (usernames, privacy), the answer is null and
 * the panel asks the agent to search and link. Nothing is guessed from the `@lid` digits.
 */
import type { PhoneOrigin } from '../shared/store-bridge.ts';
import { field, guarded, type ModuleGraph } from './module-graph.ts';

export interface ChatPhone {
  phoneJid: string;
  phoneFrom: PhoneOrigin;
}

export function phoneOfLidChat(graph: ModuleGraph, chatId: unknown, contact: unknown): ChatPhone | null {
  const fromContact = userJid(field(contact, 'phoneNumber'));
  if (fromContact !== null) return { phoneJid: fromContact, phoneFrom: 'contact' };
  const fromMap = userJid(lidMapLookup(graph, chatId));
  if (fromMap !== null) return { phoneJid: fromMap, phoneFrom: 'lid_map' };
  // The contact's own id (a contact keyed by its number) or its derived `pnForLid`.
  const fromFields = userJid(field(contact, 'id')) ?? userJid(field(contact, 'pnForLid'));
  return fromFields === null ? null : { phoneJid: fromFields, phoneFrom: 'contact_fields' };
}

/** `WAWebApiContact.getPhoneNumber(lid)`, or its `lidPnCache.getPhoneNumber(lid)`. */
function lidMapLookup(graph: ModuleGraph, chatId: unknown): unknown {
  const api = graph.module('WAWebApiContact');
  for (const owner of [api, field(api, 'lidPnCache')]) {
    const getPhoneNumber = field(owner, 'getPhoneNumber');
    if (typeof getPhoneNumber !== 'function') continue;
    const phone: unknown = guarded(() => getPhoneNumber.call(owner, chatId));
    if (phone !== undefined && phone !== null) return phone;
  }
  return undefined;
}

/** A WhatsApp id that names a phone (`34655123987@c.us`); null for `@lid`, groups and anything else. */
function userJid(wid: unknown): string | null {
  const serialized = typeof wid === 'string' ? wid : field(wid, '_serialized');
  return typeof serialized === 'string' && /^\d+(?::\d+)?@c\.us$/.test(serialized) ? serialized : null;
}
