/**
 * The panel's state and what changes it: the chat of its WhatsApp tab (from chrome.storage.session),
 * lookups, searches, AI replies and follow-ups (through the background), and the agent's clicks.
 * Views are rebuilt from the state; only the search tabs, the AI reply card and the follow-up card
 * and list persist, so typing is never interrupted.
 */
import type { PanelCustomer } from '@parley/contract';
import { chatKey } from '../shared/chat.ts';
import { readTabChat, watchTabChat } from '../shared/chat-registry.ts';
import { askBackground } from '../shared/messages.ts';
import { fail } from '../shared/outcome.ts';
import { messagesReadable, type PageStatus } from '../shared/page-status.ts';
import { phoneFromDisplayedNumber } from '../shared/phone.ts';
import { offersSuggestion } from './assistant.ts';
import { h } from './dom.ts';
import type { Formatters } from './format.ts';
import type { Translate } from './i18n.ts';
import { screenOf, type PanelState } from './screen.ts';
import type { PanelActions, PanelTab, ViewContext } from './view-context.ts';
import { createAssistantPanel } from './views/assistant.ts';
import { createFollowupCard, createFollowupList } from './views/followups.ts';
import { createLayout, renderChatHeader, showTab } from './views/layout.ts';
import { screenView } from './views/screen-view.ts';
import { createSearchPanel, type SearchPanel } from './views/search.ts';
import { messageState } from './views/states.ts';

const FLASH_MS = 5_000;
const FOOTER_TICK_MS = 5_000;

export interface PanelOptions {
  /** The WhatsApp tab this panel belongs to; null follows the tab used last. */
  tabId: number | null;
  t: Translate;
  fmt: Formatters;
}

export function startPanel(container: HTMLElement, { tabId, t, fmt }: PanelOptions): void {
  const state: PanelState = {
    configured: null,
    chat: null,
    lookup: null,
    selected: null,
    chosenFromSearch: null,
  };
  let tab: PanelTab = 'customer';
  /** What the WhatsApp tab's content script could read at its last detection. */
  let pageStatus: PageStatus | null = null;
  let lookupSequence = 0;
  let flashTimer: ReturnType<typeof setTimeout> | null = null;

  const chatPhone = () => (state.chat?.kind === 'phone' ? state.chat.phone : null);

  const flash = (text: string, tone: 'ok' | 'error') => {
    layout.flash.textContent = text;
    layout.flash.className = `flash flash-${tone}`;
    layout.flash.hidden = false;
    if (flashTimer !== null) clearTimeout(flashTimer);
    flashTimer = setTimeout(() => (layout.flash.hidden = true), FLASH_MS);
  };

  const lookup = async (phone: string, refresh: boolean) => {
    const mine = ++lookupSequence;
    const previous = state.lookup?.phone === phone ? state.lookup.outcome : null;
    // A refresh keeps showing the customer it refreshes; anything else (first load, Retry) shows the skeleton.
    const keep = refresh && previous?.ok === true && previous.value.status === 'found' ? previous : null;
    state.lookup = { phone, outcome: keep, pending: true };
    render();
    const outcome = await askBackground('customer/lookup', { phone, refresh });
    if (mine !== lookupSequence) return;
    state.lookup = { phone, outcome, pending: false };
    render();
  };

  const loadChat = async () => {
    const tabChat = await readTabChat(tabId);
    const chat = tabChat?.chat ?? null;
    pageStatus = tabChat?.status ?? null;
    const changed =
      (chat === null ? null : chatKey(chat)) !== (state.chat === null ? null : chatKey(state.chat));
    state.chat = chat;
    if (changed) {
      lookupSequence++;
      layout.flash.hidden = true;
      Object.assign(state, { lookup: null, selected: null, chosenFromSearch: null });
      assistant.setChat(chatPhone());
      followupCard.setChat(chatPhone());
      tab = 'customer';
      if (chat?.kind === 'phone' && state.configured !== false) void lookup(chat.phone, false);
    }
    for (const panel of Object.values(searches)) panel.rerender();
    render();
  };

  const loadSettings = async () => {
    const settings = await askBackground('settings/read', null);
    const configured = settings.serverUrl !== null && settings.hasToken;
    const becameConfigured = configured && state.configured !== true;
    state.configured = configured;
    const phone = chatPhone();
    if (becameConfigured && phone !== null) {
      void lookup(phone, false);
      followupCard.reload();
    }
    render();
  };

  const actions: PanelActions = {
    insert(text) {
      void askBackground('composer/insert', { tabId, text }).then((outcome) =>
        outcome.ok ? flash(t('flash.inserted'), 'ok') : flash(t(`failure.${outcome.failure.kind}`), 'error'),
      );
    },
    openChat(url) {
      void askBackground('chat/open', { tabId, url }).then((outcome) => {
        if (!outcome.ok) flash(t(`failure.${outcome.failure.kind}`), 'error');
      });
    },
    refresh() {
      if (tab === 'followups') {
        followupList.load();
        return;
      }
      if (state.lookup !== null) void lookup(state.lookup.phone, true);
      else void loadChat();
      followupCard.reload();
    },
    openOptions: () => void chrome.runtime.openOptionsPage(),
    select(index) {
      state.selected = index;
      render();
    },
    showTab(next) {
      tab = next;
      render();
      if (next === 'followups') followupList.load();
      if (next === 'customer' || next === 'followups') return;
      const name = state.chat?.kind === 'none' ? null : (state.chat?.name ?? null);
      // The contact's name is the best first query, unless it is just the number WhatsApp shows.
      searches[next].focus(
        next === 'customers' && name !== null && phoneFromDisplayedNumber(name) === null ? name : undefined,
      );
    },
    link(customer) {
      const phone = chatPhone();
      if (phone === null) return;
      void askBackground('link/create', { phone, customer: linkTarget(customer) }).then((outcome) => {
        if (!outcome.ok) {
          flash(t(`failure.${outcome.failure.kind}`), 'error');
          return;
        }
        flash(t('flash.linked', { name: customer.name ?? customer.email ?? customer.phone ?? '' }), 'ok');
        state.selected = null;
        tab = 'customer';
        void lookup(phone, true);
      });
    },
    view(customer) {
      if (customer.phone === null) return;
      state.selected = null;
      state.chosenFromSearch = customer.name ?? customer.phone;
      tab = 'customer';
      void lookup(customer.phone, false);
    },
  };

  const ctx: ViewContext = { t, fmt, actions };
  const layout = createLayout(
    t,
    (next) => actions.showTab(next),
    () => actions.refresh(),
  );
  const searchDeps = {
    search: (kind: 'customers' | 'products' | 'global', query: string) =>
      askBackground('crm/search', { kind, query, phone: chatPhone() }),
    chatPhone,
  };
  const searches: Record<Exclude<PanelTab, 'customer' | 'followups'>, SearchPanel> = {
    customers: createSearchPanel('customers', ctx, searchDeps),
    products: createSearchPanel('products', ctx, searchDeps),
    global: createSearchPanel('global', ctx, searchDeps),
  };
  for (const [kind, panel] of Object.entries(searches)) layout.bodies[kind as PanelTab].append(panel.element);
  const assistant = createAssistantPanel(ctx, {
    suggest: (phone, instruction) =>
      askBackground('reply/suggest', { tabId, phone, instruction }).catch((error: unknown) =>
        // The service worker went away mid-call (Chrome stopped it, or the extension was reloaded).
        fail({ kind: 'server_error', detail: `The extension failed: ${String(error)}` }),
      ),
  });
  const followupCard = createFollowupCard(ctx, {
    list: (phone) => askBackground('followups/list', { phone }),
    change: (id, change) =>
      askBackground(change === 'sent' ? 'followup/sent' : 'followup/dismiss', { id }).catch(
        (error: unknown) =>
          // The answer was lost with the service worker; the server may have applied the change.
          fail({ kind: 'server_error', detail: `The extension failed: ${String(error)}` }),
      ),
    onDismissed: () => flash(t('flash.dismissed'), 'ok'),
  });
  const followupList = createFollowupList(ctx, {
    list: () => askBackground('followups/list', { phone: null }),
  });
  layout.bodies.followups.append(followupList.element);
  const screenHost = h('div', { class: 'screen' });
  // Said instead of reporting nothing and drafting without the chat, silently.
  const messagesNotice = messageState({
    state: 'messages-unavailable',
    tone: 'warning',
    title: t('notice.messagesUnavailable.title'),
    body: t('notice.messagesUnavailable.body'),
  });
  layout.bodies.customer.append(messagesNotice, followupCard.element, assistant.element, screenHost);

  const renderFooter = () => {
    const outcome = state.lookup?.outcome;
    const answer = outcome?.ok === true ? outcome.value : null;
    // Only an answer is "updated"; the time of a failed call says nothing useful.
    if (
      answer === null ||
      (answer.status !== 'found' && answer.status !== 'not_found') ||
      tab !== 'customer'
    ) {
      layout.footer.textContent = '';
      return;
    }
    const time = fmt.ago(new Date(answer.fetched_at), new Date());
    layout.footer.textContent = t(answer.cached ? 'updated.cached' : 'updated', { time });
  };

  function render() {
    const note = state.chosenFromSearch === null ? null : t('chat.viewing', { name: state.chosenFromSearch });
    renderChatHeader(layout, state.chat, t, note);
    layout.refresh.classList.toggle('busy', state.lookup?.pending === true);
    showTab(layout, tab);
    const screen = screenOf(state);
    assistant.setVisible(chatPhone() !== null && offersSuggestion(screen));
    followupCard.setVisible(chatPhone() !== null && screen.kind !== 'setup');
    messagesNotice.hidden = state.chat === null || state.chat.kind === 'none' || messagesReadable(pageStatus);
    screenHost.replaceChildren(screenView(screen, ctx));
    renderFooter();
  }

  container.replaceChildren(layout.root);
  render();
  watchTabChat(tabId, () => void loadChat());
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'settings' in changes) void loadSettings();
  });
  setInterval(renderFooter, FOOTER_TICK_MS);
  void loadSettings().then(loadChat);
}

/** What identifies a CRM customer for a link: every identifier the search result had. */
function linkTarget(customer: PanelCustomer) {
  const { id, phone, name, email } = customer;
  return {
    ...(id === null ? {} : { id }),
    ...(phone === null ? {} : { phone }),
    ...(name === null ? {} : { name }),
    ...(email === null ? {} : { email }),
  };
}
