/**
 * A search tab (customers to link, products, everything) with type-ahead: the CRM is asked once the
 * agent pauses typing, and an answer to an older query never replaces a newer one.
 */
import type { PanelSearchKind, PanelSearchResponse } from '@parley/contract';
import type { Outcome } from '../../shared/outcome.ts';
import { h } from '../dom.ts';
import type { MessageId } from '../i18n.ts';
import type { ViewContext } from '../view-context.ts';
import { customerResult, globalResult, productResult } from './results.ts';
import { messageState } from './states.ts';

const TYPE_AHEAD_MS = 300;
const MIN_QUERY_LENGTH = 2;

export interface SearchDeps {
  search(kind: PanelSearchKind, query: string): Promise<Outcome<PanelSearchResponse>>;
  /** The open chat's phone, if it has one: customers can be linked only then. */
  chatPhone(): string | null;
}

export interface SearchPanel {
  element: HTMLElement;
  /** Shows the tab's input focused, optionally with a first query (which is searched at once). */
  focus(prefill?: string): void;
  /** Re-renders the results after the chat changed (whether "Link" is possible). */
  rerender(): void;
}

const placeholders: Record<PanelSearchKind, MessageId> = {
  customers: 'search.customers.placeholder',
  products: 'search.products.placeholder',
  global: 'search.global.placeholder',
};

export function createSearchPanel(kind: PanelSearchKind, ctx: ViewContext, deps: SearchDeps): SearchPanel {
  const { t } = ctx;
  const input = h('input', {
    class: 'search-input',
    attrs: {
      type: 'search',
      placeholder: t(placeholders[kind]),
      'aria-label': t(placeholders[kind]),
      'data-search': kind,
    },
  });
  const results = h('div', { class: 'search-results', attrs: { 'aria-live': 'polite' } });
  const element = h('div', { class: 'search', attrs: { 'data-tab': kind } }, input, results);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let sequence = 0;
  let last: { query: string; outcome: Outcome<PanelSearchResponse> } | null = null;

  const show = (...children: Array<HTMLElement | null>) =>
    results.replaceChildren(...children.filter((c) => c !== null));

  const render = () => {
    if (last === null) return;
    const { query, outcome } = last;
    if (!outcome.ok) {
      show(
        messageState({
          state: 'search-error',
          tone: 'error',
          title: t('search.failed'),
          body: t(`failure.${outcome.failure.kind}`),
          detail: outcome.failure.detail,
        }),
      );
      return;
    }
    const answer = outcome.value;
    if (answer.status !== 'found' && answer.status !== 'not_found') {
      const detail =
        answer.error === undefined ? answer.status : `${answer.error.code}: ${answer.error.message}`;
      show(
        messageState({
          state: 'search-error',
          tone: 'error',
          title: t('search.failed'),
          body: t('failure.crm'),
          detail,
        }),
      );
      return;
    }
    if (answer.results.length === 0) {
      show(h('p', { class: 'muted', attrs: { 'data-state': 'search-empty' } }, t('search.none', { query })));
      return;
    }
    const canLink = deps.chatPhone() !== null;
    const items =
      answer.kind === 'customers'
        ? answer.results.map((customer) => customerResult(customer, canLink, ctx))
        : answer.kind === 'products'
          ? answer.results.map((product) => productResult(product, ctx))
          : answer.results.map((result) => globalResult(result, ctx));
    show(
      answer.kind === 'customers' && !canLink
        ? h('p', { class: 'muted small' }, t('search.linkNeedsPhone'))
        : null,
      h('ul', { class: 'results' }, ...items),
    );
  };

  const run = async (query: string) => {
    const mine = ++sequence;
    show(h('p', { class: 'muted', attrs: { 'data-state': 'searching' } }, t('search.searching')));
    const outcome = await deps.search(kind, query);
    if (mine !== sequence) return;
    last = { query, outcome };
    render();
  };

  const schedule = () => {
    if (timer !== null) clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < MIN_QUERY_LENGTH) {
      sequence++;
      last = null;
      show(h('p', { class: 'muted' }, t('search.hint', { count: MIN_QUERY_LENGTH })));
      return;
    }
    timer = setTimeout(() => void run(query), TYPE_AHEAD_MS);
  };

  input.addEventListener('input', schedule);
  schedule();
  return {
    element,
    focus(prefill) {
      if (prefill !== undefined && input.value.trim() === '') {
        input.value = prefill;
        schedule();
      }
      input.focus();
    },
    rerender: render,
  };
}
