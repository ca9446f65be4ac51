/**
 * Chat links (docs/side-panel.md#linking-a-chat-to-a-customer): an agent says "this chat is that CRM
 * customer". Parley keeps the link (the CRM is never written) and sends the linked customers' phones as
 * `relatedphones` on later lookups.
 */
import { MAX_LINKS_PER_CHAT, type CreatePanelLinkRequest, type PanelChatLink } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Principal } from '../shops/index.ts';
import {
  deleteLink,
  selectLinkedPhonesOfChats,
  selectLinks,
  upsertLink,
  type LinkRow,
} from './links-store.ts';
import type { PhoneReader } from './phone-input.ts';

/** Who may use the panel: a shop token or one of its agents. */
export type PanelCaller = Extract<Principal, { kind: 'shop' | 'agent' }>;

export const callerAgentId = (caller: PanelCaller): string | null =>
  caller.kind === 'agent' ? caller.agentId : null;

export const presentActor = (agentId: string | null) => ({
  kind: agentId === null ? ('shop' as const) : ('agent' as const),
  agent_id: agentId,
});

const presentLink = (row: LinkRow): PanelChatLink => ({
  id: row.id,
  phone: row.chatPhone,
  customer: {
    id: row.customerId,
    phone: row.customerPhone,
    name: row.customerName,
    email: row.customerEmail,
  },
  created_by: presentActor(row.createdByAgentId),
  created_at: row.createdAt.toISOString(),
});

/** What makes two links name the same customer: the CRM id when known, else the phone, else the email. */
function customerKey(customer: { id?: string; phone?: string; email?: string }): string {
  if (customer.id !== undefined) return `id:${customer.id}`;
  if (customer.phone !== undefined) return `phone:${customer.phone}`;
  return `email:${(customer.email ?? '').toLowerCase()}`;
}

export async function linkCustomer(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  phones: PhoneReader,
  caller: PanelCaller,
  input: CreatePanelLinkRequest,
): Promise<{ link: PanelChatLink; created: boolean }> {
  const chatPhone = await phones.read(caller.shopId, input.phone, 'phone');
  const customer = {
    ...input.customer,
    phone:
      input.customer.phone === undefined
        ? undefined
        : await phones.read(caller.shopId, input.customer.phone, 'customer.phone'),
  };
  const key = customerKey(customer);
  const linked = await selectLinks(deps.db, caller.shopId, chatPhone);
  if (linked.length >= MAX_LINKS_PER_CHAT && !linked.some((row) => row.customerKey === key)) {
    throw new AppError(
      'TOO_MANY_LINKS',
      `The chat ${chatPhone} already has ${MAX_LINKS_PER_CHAT} linked customers; remove one first (DELETE /api/panel/links/<id>).`,
      409,
    );
  }
  const { row, inserted } = await upsertLink(deps.db, {
    id: newId('lnk'),
    shopId: caller.shopId,
    chatPhone,
    customerKey: key,
    customerId: customer.id ?? null,
    customerPhone: customer.phone ?? null,
    customerName: customer.name ?? null,
    customerEmail: customer.email ?? null,
    createdByAgentId: callerAgentId(caller),
    at: deps.clock.now(),
  });
  return { link: presentLink(row), created: inserted };
}

export async function listLinks(deps: Pick<AppDeps, 'db'>, shopId: string, chatPhone: string) {
  const rows = await selectLinks(deps.db, shopId, chatPhone);
  return { phone: chatPhone, links: rows.map(presentLink), linked_phones: relatedPhones(rows, chatPhone) };
}

/** The removed link; 404 when the shop has no link with that id (another shop's included). */
export async function unlinkCustomer(deps: Pick<AppDeps, 'db'>, shopId: string, id: string) {
  const row = await deleteLink(deps.db, shopId, id);
  if (row === undefined) throw notFound(`There is no link ${id} in this shop.`);
  return presentLink(row);
}

/** Sorted and without the chat's own number, so equal sets give equal cache keys and CRM requests. */
export const normalizeRelated = (phones: readonly string[], chatPhone: string): string[] =>
  [...new Set(phones)].filter((phone) => phone !== chatPhone).sort();

const relatedPhones = (rows: readonly LinkRow[], chatPhone: string): string[] =>
  normalizeRelated(
    rows.flatMap((row) => (row.customerPhone === null ? [] : [row.customerPhone])),
    chatPhone,
  );

/**
 * The phones linked to a chat, as `sidePanel_CustomerInfo` and `ai_CustomerInitialInfo` send them in
 * `relatedphones`. `phone` must be E.164. Reads the database: the panel keeps its own short-lived copy.
 */
export async function linkedPhonesFor(
  deps: Pick<AppDeps, 'db'>,
  shopId: string,
  phone: string,
): Promise<string[]> {
  return (await linkedPhonesOfChats(deps, shopId, [phone])).get(phone) as string[];
}

/** `linkedPhonesFor` of several chats in one statement (a Smart Follow-up run reads them by batch). */
export async function linkedPhonesOfChats(
  deps: Pick<AppDeps, 'db'>,
  shopId: string,
  chatPhones: readonly string[],
): Promise<Map<string, string[]>> {
  const linked = await selectLinkedPhonesOfChats(deps.db, shopId, chatPhones);
  return new Map(chatPhones.map((chat) => [chat, normalizeRelated(linked.get(chat) ?? [], chat)]));
}
