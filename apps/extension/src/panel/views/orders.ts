/** Orders with their status badge, amounts, items and tracking (each tracking link can go into the chat). */
import type { PanelOrder, PanelTracking } from '@parley/contract';
import { button, externalLink, h } from '../dom.ts';
import { trackingText } from '../insert-texts.ts';
import type { ViewContext } from '../view-context.ts';
import { itemList } from './items.ts';
import { extras, statusBadge } from './parts.ts';

export function orderCard(order: PanelOrder, ctx: ViewContext): HTMLElement {
  const { t, fmt } = ctx;
  const money = (amount: number | null) => (amount === null ? null : fmt.money(amount, order.currency));
  const adjustments = [
    order.netAmount !== null && order.netAmount !== order.amount
      ? t('order.net', { amount: money(order.netAmount) ?? '' })
      : null,
    order.totalRefunded ? t('order.refunded', { amount: money(order.totalRefunded) ?? '' }) : null,
    order.totalDiscounts ? t('order.discounts', { amount: money(order.totalDiscounts) ?? '' }) : null,
  ].filter((text) => text !== null);
  return h(
    'article',
    { class: 'order', attrs: { 'data-order': order.name ?? '' } },
    h(
      'div',
      { class: 'order-head' },
      h('strong', { class: 'order-name' }, order.name ?? '—'),
      order.date === null ? null : h('span', { class: 'muted' }, fmt.date(order.date)),
      statusBadge(order.status),
    ),
    h(
      'div',
      { class: 'order-amounts' },
      order.amount === null ? null : h('span', { class: 'amount' }, money(order.amount)),
      adjustments.length === 0 ? null : h('span', { class: 'muted' }, adjustments.join(' · ')),
    ),
    itemList(order.items, order.currency, fmt),
    ...order.tracking.map((tracking) => trackingRow(order, tracking, ctx)),
    order.url === null ? null : h('div', { class: 'row-actions' }, externalLink(order.url, t('order.open'))),
    extras(order.extra),
  );
}

function trackingRow(order: PanelOrder, tracking: PanelTracking, ctx: ViewContext): HTMLElement {
  const label =
    [tracking.company, tracking.number].filter((part) => part !== null).join(' ') || ctx.t('tracking.label');
  const text = trackingText(ctx.t, order, tracking);
  return h(
    'div',
    { class: 'tracking' },
    h('span', { class: 'tracking-label' }, `${ctx.t('tracking.label')}:`),
    externalLink(tracking.url, label),
    statusBadge(tracking.status),
    text === null
      ? null
      : button(ctx.t('action.insert'), () => ctx.actions.insert(text), 'button small insert'),
  );
}
