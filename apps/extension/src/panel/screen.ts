/**
 * What the customer tab shows, decided from the panel's state alone (no DOM), so every state the
 * agent can meet is one case here and testable.
 */
import type { CustomerLookupResponse, PanelCustomer } from '@parley/contract';
import type { ChatIdentity, NoPhoneReason } from '../shared/chat.ts';
import type { Failure, Outcome } from '../shared/outcome.ts';

export interface LookupState {
  phone: string;
  /** Null until the first answer for this phone. */
  outcome: Outcome<CustomerLookupResponse> | null;
  pending: boolean;
}

export interface PanelState {
  /** Null until the background said whether a server and token are saved. */
  configured: boolean | null;
  /** Null: no WhatsApp tab has reported a chat. */
  chat: ChatIdentity | null;
  lookup: LookupState | null;
  /** The customer chosen in the picker, when several match. */
  selected: number | null;
  /** Set when the agent opened a customer from search for a chat whose number is unknown. */
  chosenFromSearch: string | null;
}

type CallError = CustomerLookupResponse['error'] | null;

export type Screen =
  | { kind: 'setup' }
  | { kind: 'no_chat' }
  | { kind: 'no_phone'; reason: NoPhoneReason }
  | { kind: 'loading' }
  /** `linked`: the agent linked this customer to the chat (rather than the CRM matching its number). */
  | { kind: 'customer'; customer: PanelCustomer; matches: number; linked: boolean }
  | { kind: 'picker'; customers: PanelCustomer[] }
  | { kind: 'not_found'; phone: string }
  | { kind: 'not_configured' }
  | { kind: 'disabled'; error: CallError }
  | { kind: 'crm_error'; error: CallError }
  | { kind: 'failure'; failure: Failure };

export function screenOf(state: PanelState): Screen {
  if (state.configured === false) return { kind: 'setup' };
  const { chat, lookup } = state;
  if (lookup === null) {
    if (chat === null || chat.kind === 'none') return { kind: 'no_chat' };
    if (chat.kind === 'no_phone') return { kind: 'no_phone', reason: chat.reason };
    return { kind: 'loading' };
  }
  const { outcome } = lookup;
  if (outcome === null) return { kind: 'loading' };
  if (!outcome.ok) {
    return outcome.failure.kind === 'not_configured'
      ? { kind: 'setup' }
      : { kind: 'failure', failure: outcome.failure };
  }
  const answer = outcome.value;
  switch (answer.status) {
    case 'found': {
      const { customers } = answer;
      const chosen = customers.length === 1 ? customers[0] : customers[state.selected ?? -1];
      if (chosen !== undefined) {
        const linked =
          chosen.phone !== null && answer.linked_phones.some((phone) => samePhone(phone, chosen.phone));
        return { kind: 'customer', customer: chosen, matches: customers.length, linked };
      }
      // "found" with an empty list cannot happen per the contract; shown as not found if it does.
      return customers.length > 1
        ? { kind: 'picker', customers }
        : { kind: 'not_found', phone: answer.phone };
    }
    case 'not_found':
      return { kind: 'not_found', phone: answer.phone };
    case 'not_configured':
      return { kind: 'not_configured' };
    case 'disabled':
      return { kind: 'disabled', error: answer.error ?? null };
    case 'error':
      return { kind: 'crm_error', error: answer.error ?? null };
  }
}

/** CRMs format numbers their own way ("+34 911 22 23 33"); links are E.164. */
const samePhone = (a: string, b: string | null) =>
  b !== null && a.replace(/\D/g, '') === b.replace(/\D/g, '');
