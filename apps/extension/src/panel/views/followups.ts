/**
 * Smart Follow-up in the panel: the open chat's due follow-up at the top of the customer tab (its
 * draft, why it was found, and Insert into chat, Mark as sent, Dismiss), and the shop's due
 * follow-ups in their own tab, each opening its chat. Both are built once and keep their state, like
 * the AI reply card. What the model wrote (draft, product, objection) is shown as text.
 */
import type { FollowupChangeResponse, FollowupView, ListFollowupsResponse } from '@parley/contract';
import type { Outcome } from '../../shared/outcome.ts';
import { button, h } from '../dom.ts';
import {
  cardAfterChange,
  cardAfterLoad,
  changeFailureText,
  followupCardViewOf,
  followupListViewOf,
  intentText,
  intentTone,
  noFollowup,
  type FollowupCardState,
  type FollowupCardView,
  type FollowupChange,
  type FollowupListState,
} from '../followups.ts';
import type { ViewContext } from '../view-context.ts';
import { badge } from './parts.ts';
import { failureDetail, failureState, messageState } from './states.ts';

export interface FollowupCardDeps {
  list(phone: string): Promise<Outcome<ListFollowupsResponse>>;
  change(id: string, change: FollowupChange): Promise<Outcome<FollowupChangeResponse>>;
  /** The card disappears on Dismiss; the panel says it happened. */
  onDismissed(): void;
}

export interface FollowupCard {
  element: HTMLElement;
  /** The open chat's phone (null: none); another chat forgets the follow-up shown and asks for its own. */
  setChat(phone: string | null): void;
  /** Asks the server again for the open chat's due follow-up. */
  reload(): void;
  setVisible(visible: boolean): void;
}

export function createFollowupCard(ctx: ViewContext, deps: FollowupCardDeps): FollowupCard {
  let phone: string | null = null;
  let state: FollowupCardState = noFollowup;
  let visible = false;
  // A new chat or a reload makes every answer still on its way stale.
  let sequence = 0;
  const element = h('section', { class: 'card followup', attrs: { 'data-followup-card': '', hidden: '' } });

  const load = async () => {
    const mine = ++sequence;
    if (phone === null) return;
    const outcome = await deps.list(phone);
    if (mine !== sequence) return;
    state = cardAfterLoad(outcome);
    render();
  };

  const change = async (id: string, kind: FollowupChange) => {
    if (state.pending !== null) return;
    const mine = sequence;
    state = { ...state, pending: kind, failure: null };
    render();
    const outcome = await deps.change(id, kind);
    if (mine !== sequence) return;
    state = cardAfterChange(state, outcome);
    render();
    if (outcome.ok && outcome.value.followup.status === 'dismissed') deps.onDismissed();
  };

  function render() {
    const view = followupCardViewOf(state);
    element.hidden = !visible || view.kind === 'hidden';
    element.dataset.followupId = view.kind === 'hidden' ? '' : view.followup.id;
    const content = view.kind === 'hidden' ? [] : cardContent(view, ctx, change);
    element.replaceChildren(...content.filter((child) => child !== null));
  }

  return {
    element,
    setChat(next) {
      if (next === phone) return;
      phone = next;
      state = noFollowup;
      render();
      void load();
    },
    reload: () => void load(),
    setVisible(next) {
      // The panel re-renders often; rebuilding the buttons under the agent's pointer could lose a click.
      if (next === visible) return;
      visible = next;
      render();
    },
  };
}

function cardContent(
  view: Exclude<FollowupCardView, { kind: 'hidden' }>,
  ctx: ViewContext,
  change: (id: string, kind: FollowupChange) => void,
): Array<HTMLElement | null> {
  const { t, actions } = ctx;
  const { followup } = view;
  const head = h(
    'div',
    { class: 'followup-head' },
    h('h3', { class: 'section-title' }, t('followup.title')),
    intentBadge(followup, ctx),
    h('span', { class: 'muted small' }, t('followup.attempt', { number: followup.attempt_number })),
  );
  if (view.kind === 'sent') {
    return [
      head,
      messageState({
        state: 'followup-sent',
        tone: 'info',
        title: t('followup.sent.title'),
        body: t('followup.sent.body'),
      }),
    ];
  }
  const { pending, failure, actionable, insertable } = view;
  const actionButton = (label: string, onClick: () => void, className: string) => {
    const element = button(label, onClick, className);
    element.disabled = pending !== null;
    return element;
  };
  return [
    head,
    ...facts(followup, ctx, 'div', { objection: true }),
    insertable
      ? h('p', { class: 'draft-text', attrs: { 'data-followup-draft': '' } }, followup.suggested_message)
      : null,
    actionable
      ? h(
          'div',
          { class: 'row-actions' },
          insertable
            ? actionButton(
                t('action.insert'),
                () => actions.insert(followup.suggested_message),
                'button primary followup-insert',
              )
            : null,
          actionButton(t('followup.markSent'), () => change(followup.id, 'sent'), 'button followup-sent'),
          actionButton(
            t('followup.dismiss'),
            () => change(followup.id, 'dismiss'),
            'button followup-dismiss',
          ),
        )
      : null,
    failure === null
      ? null
      : messageState({
          state: 'followup-error',
          tone: 'error',
          title: t('followup.error.title'),
          body: t(changeFailureText(failure)),
          detail: failureDetail(failure),
        }),
    actionable ? h('p', { class: 'muted small' }, t('followup.note')) : null,
  ];
}

export interface FollowupListDeps {
  list(): Promise<Outcome<ListFollowupsResponse>>;
}

export interface FollowupList {
  element: HTMLElement;
  /** Asks the server for the due follow-ups, showing the current list meanwhile. */
  load(): void;
}

export function createFollowupList(ctx: ViewContext, deps: FollowupListDeps): FollowupList {
  const { t } = ctx;
  let state: FollowupListState = { pending: false, outcome: null };
  let sequence = 0;

  const load = async () => {
    const mine = ++sequence;
    state = { ...state, pending: true };
    render();
    const outcome = await deps.list();
    if (mine !== sequence) return;
    state = { pending: false, outcome };
    render();
  };

  const title = h('h3', { class: 'section-title' });
  const refresh = button(t('action.refresh'), () => void load(), 'button small followups-refresh');
  const body = h('div', { attrs: { 'aria-live': 'polite' } });
  const element = h(
    'div',
    { class: 'followups', attrs: { 'data-followups': '' } },
    h('div', { class: 'followups-head' }, title, refresh),
    body,
  );

  function render() {
    const view = followupListViewOf(state);
    refresh.classList.toggle('busy', state.pending);
    title.textContent =
      view.kind === 'list' ? t('followups.title', { count: view.followups.length }) : t('tab.followups');
    switch (view.kind) {
      case 'loading':
        body.replaceChildren(
          h(
            'p',
            { class: 'muted', attrs: { 'data-state': 'followups-loading', 'aria-busy': 'true' } },
            t('followups.loading'),
          ),
        );
        return;
      case 'empty':
        body.replaceChildren(
          messageState({
            state: 'followups-empty',
            tone: 'info',
            title: t('followups.empty.title'),
            body: t('followups.empty.body'),
          }),
        );
        return;
      case 'list':
        body.replaceChildren(
          h('ul', { class: 'results' }, ...view.followups.map((followup) => followupItem(followup, ctx))),
        );
        return;
      case 'failure': {
        const retry = button(t('action.retry'), () => void load(), 'button primary retry');
        body.replaceChildren(
          failureState(
            view.failure,
            { state: 'followups-error', title: t('followups.error.title'), retry },
            ctx,
          ),
        );
        return;
      }
    }
  }

  return { element, load: () => void load() };
}

/** The whole item opens the chat (following up happens there), so its content is phrasing: spans. */
function followupItem(followup: FollowupView, ctx: ViewContext): HTMLElement {
  const { t, actions } = ctx;
  const name = followup.chat_name ?? followup.phone;
  const open = h(
    'button',
    {
      class: 'followup-open',
      attrs: { type: 'button', title: t('followups.open', { name }) },
      onClick: () => actions.openChat(followup.whatsapp_url),
    },
    h('span', { class: 'result-head' }, h('strong', {}, name), intentBadge(followup, ctx)),
    followup.chat_name === null ? null : h('span', { class: 'followup-fact muted' }, followup.phone),
    ...facts(followup, ctx, 'span', { objection: false }),
  );
  return h('li', { class: 'result followup-item', attrs: { 'data-followup': followup.id } }, open);
}

const intentBadge = (followup: FollowupView, { t }: ViewContext) =>
  badge(t(intentText(followup.intent_level)), intentTone(followup.intent_level));

/** What the model found (product, objection) and when the follow-up fell due, one line each. */
function facts(
  followup: FollowupView,
  { t, fmt }: ViewContext,
  tag: 'div' | 'span',
  { objection }: { objection: boolean },
): Array<HTMLElement | null> {
  const line = (text: string, className: string) => h(tag, { class: `followup-fact ${className}` }, text);
  const { product_mentioned: product, customer_objection: held } = followup;
  return [
    product === null ? null : line(t('followup.product', { product }), 'followup-product'),
    !objection || held === null
      ? null
      : line(t('followup.objection', { objection: held }), 'followup-objection'),
    line(t('followup.due', { time: fmt.dateTime(followup.due_at) }), 'muted small'),
  ];
}
