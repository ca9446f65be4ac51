/** What every view needs: texts, formatters, and the actions its buttons trigger. */
import type { PanelCustomer } from '@parley/contract';
import type { Formatters } from './format.ts';
import type { Translate } from './i18n.ts';

export type PanelTab = 'customer' | 'customers' | 'products' | 'global' | 'followups';

export interface PanelActions {
  /** Puts text into the WhatsApp composer (never sends). */
  insert(text: string): void;
  /** Opens a chat by its WhatsApp Web URL in the WhatsApp tab. */
  openChat(url: string): void;
  /** Asks the server again, skipping every cache. */
  refresh(): void;
  openOptions(): void;
  /** Chooses one of several matching customers; null goes back to the list. */
  select(index: number | null): void;
  showTab(tab: PanelTab): void;
  /** Links a customer from search to the open chat. */
  link(customer: PanelCustomer): void;
  /** Shows a customer from search (for a chat whose number is unknown). */
  view(customer: PanelCustomer): void;
}

export interface ViewContext {
  t: Translate;
  fmt: Formatters;
  actions: PanelActions;
}
