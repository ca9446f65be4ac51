/** States of the panel's tabs other than data: loading skeleton, a titled message with actions, a failed call. */
import type { Failure } from '../../shared/outcome.ts';
import { button, h } from '../dom.ts';
import type { ViewContext } from '../view-context.ts';

export function skeleton(label: string): HTMLElement {
  const bar = (width: string) => h('div', { class: 'skeleton-bar', attrs: { style: `width:${width}` } });
  return h(
    'div',
    { class: 'skeleton', attrs: { 'aria-busy': 'true', 'aria-label': label, 'data-state': 'loading' } },
    h('div', { class: 'card' }, bar('60%'), bar('40%'), bar('80%')),
    h('div', { class: 'skeleton-grid' }, bar('100%'), bar('100%'), bar('100%')),
    h('div', { class: 'card' }, bar('50%'), bar('90%'), bar('70%')),
    h('div', { class: 'card' }, bar('45%'), bar('85%')),
  );
}

export interface MessageStateOptions {
  /** A stable name for tests and styles: `data-state` of the element. */
  state: string;
  tone: 'info' | 'warning' | 'error';
  title: string;
  body: string;
  /** Technical detail (an error code and the server's message), shown smaller. */
  detail?: string | null;
  /** Folds the detail away under this label (for a detail meant for an admin rather than the agent). */
  detailLabel?: string;
  actions?: ReadonlyArray<HTMLElement | null>;
}

export function messageState(options: MessageStateOptions): HTMLElement {
  return h(
    'div',
    {
      class: `state state-${options.tone}`,
      attrs: { 'data-state': options.state, role: options.tone === 'error' ? 'alert' : 'status' },
    },
    h('h2', { class: 'state-title' }, options.title),
    h('p', {}, options.body),
    !options.detail
      ? null
      : options.detailLabel === undefined
        ? h('p', { class: 'state-detail' }, options.detail)
        : h(
            'details',
            { class: 'state-more' },
            h('summary', {}, options.detailLabel),
            h('p', { class: 'state-detail' }, options.detail),
          ),
    options.actions === undefined ? null : h('div', { class: 'row-actions' }, ...options.actions),
  );
}

/** A failure's technical detail: the server's error code, when it sent one, and its message. */
export const failureDetail = (failure: Failure): string =>
  failure.code === undefined ? failure.detail : `${failure.code}: ${failure.detail}`;

/** A failed call to the server: what went wrong, Retry, and the options when the settings are the cause. */
export function failureState(
  failure: Failure,
  { state, title, retry }: { state: string; title: string; retry: HTMLElement },
  { t, actions }: ViewContext,
): HTMLElement {
  const needsOptions = ['unauthorized', 'forbidden', 'no_permission', 'invalid_settings'].includes(
    failure.kind,
  );
  return messageState({
    state,
    tone: 'error',
    title,
    body: t(`failure.${failure.kind}`),
    detail: failureDetail(failure),
    actions: [retry, needsOptions ? button(t('action.openOptions'), () => actions.openOptions()) : null],
  });
}
