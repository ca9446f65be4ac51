/** The panel's frame: chat header with refresh, tabs, the tab bodies, a flash line and the "updated" footer. */
import type { ChatIdentity } from '../../shared/chat.ts';
import { button, h } from '../dom.ts';
import type { Translate } from '../i18n.ts';
import type { PanelTab } from '../view-context.ts';

export interface Layout {
  root: HTMLElement;
  chatName: HTMLElement;
  chatDetail: HTMLElement;
  refresh: HTMLButtonElement;
  tabs: Record<PanelTab, HTMLButtonElement>;
  bodies: Record<PanelTab, HTMLElement>;
  flash: HTMLElement;
  footer: HTMLElement;
}

const tabLabels = {
  customer: 'tab.customer',
  customers: 'tab.link',
  products: 'tab.products',
  global: 'tab.global',
  followups: 'tab.followups',
} as const;

const tabOrder: readonly PanelTab[] = ['customer', 'customers', 'products', 'global', 'followups'];

const perTab = <T>(make: (tab: PanelTab) => T): Record<PanelTab, T> => ({
  customer: make('customer'),
  customers: make('customers'),
  products: make('products'),
  global: make('global'),
  followups: make('followups'),
});

export function createLayout(t: Translate, onTab: (tab: PanelTab) => void, onRefresh: () => void): Layout {
  const tabs = perTab((tab) =>
    h(
      'button',
      {
        class: 'tab',
        attrs: { type: 'button', role: 'tab', 'data-tab-button': tab },
        onClick: () => onTab(tab),
      },
      t(tabLabels[tab]),
    ),
  );
  const bodies = perTab((tab) =>
    h('div', { class: 'tab-body', attrs: { role: 'tabpanel', 'data-tab-body': tab } }),
  );
  const chatName = h('div', { class: 'chat-name' });
  const chatDetail = h('div', { class: 'chat-detail muted' });
  const refresh = button('↻', onRefresh, 'icon-button refresh');
  refresh.title = t('action.refresh');
  refresh.setAttribute('aria-label', t('action.refresh'));
  const flash = h('div', { class: 'flash', attrs: { role: 'status', hidden: '' } });
  const footer = h('footer', { class: 'status-bar', attrs: { 'data-updated': '' } });
  const root = h(
    'div',
    { class: 'app' },
    h('header', { class: 'chat-header' }, h('div', { class: 'chat-title' }, chatName, chatDetail), refresh),
    h('nav', { class: 'tabs', attrs: { role: 'tablist' } }, ...tabOrder.map((tab) => tabs[tab])),
    h('main', { class: 'content' }, ...tabOrder.map((tab) => bodies[tab])),
    flash,
    footer,
  );
  return { root, chatName, chatDetail, refresh, tabs, bodies, flash, footer };
}

export function showTab(layout: Layout, active: PanelTab): void {
  for (const [tab, element] of Object.entries(layout.tabs))
    element.setAttribute('aria-selected', String(tab === active));
  for (const [tab, element] of Object.entries(layout.bodies)) element.hidden = tab !== active;
}

export function renderChatHeader(
  layout: Layout,
  chat: ChatIdentity | null,
  t: Translate,
  note: string | null,
): void {
  const name =
    chat === null || chat.kind === 'none'
      ? 'Parley'
      : (chat.name ?? (chat.kind === 'phone' ? chat.phone : '—'));
  const detail =
    chat === null || chat.kind === 'none'
      ? ''
      : chat.kind === 'phone'
        ? chat.name === null
          ? ''
          : chat.phone
        : t('chat.hiddenNumber');
  layout.chatName.textContent = name;
  layout.chatDetail.textContent = note === null ? detail : `${detail}${detail === '' ? '' : ' · '}${note}`;
}
