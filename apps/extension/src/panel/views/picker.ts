/** Several customers match the chat: the agent picks one. */
import type { PanelCustomer } from '@parley/contract';
import { h } from '../dom.ts';
import type { ViewContext } from '../view-context.ts';
import { badge } from './parts.ts';

export function pickerView(customers: readonly PanelCustomer[], ctx: ViewContext): HTMLElement {
  const { t, fmt } = ctx;
  return h(
    'div',
    { class: 'picker' },
    h('h2', { class: 'state-title' }, t('picker.title', { count: customers.length })),
    h('p', { class: 'muted' }, t('picker.body')),
    h(
      'ul',
      { class: 'choices' },
      ...customers.map((customer, index) =>
        h(
          'li',
          {},
          h(
            'button',
            { class: 'choice', attrs: { type: 'button' }, onClick: () => ctx.actions.select(index) },
            h(
              'span',
              { class: 'choice-head' },
              h('strong', {}, customer.name ?? customer.email ?? '—'),
              badge(customer.state, 'info'),
            ),
            h(
              'span',
              { class: 'muted' },
              [customer.email, customer.phone].filter((v) => v !== null).join(' · '),
            ),
            customer.metrics.ordersCount === null
              ? null
              : h(
                  'span',
                  { class: 'muted' },
                  `${t('metrics.orders')}: ${fmt.number(customer.metrics.ordersCount)}`,
                ),
          ),
        ),
      ),
    ),
  );
}
