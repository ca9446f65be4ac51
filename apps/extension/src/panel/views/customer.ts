/** One customer: profile card, metrics, orders, abandoned carts, notes, links and the CRM's extra fields. */
import type { PanelCustomer, PanelMetrics, PanelOrder } from '@parley/contract';
import { button, externalLink, h } from '../dom.ts';
import type { ViewContext } from '../view-context.ts';
import { cartCard } from './carts.ts';
import { orderCard } from './orders.ts';
import { badge, chips, extras, section } from './parts.ts';

export function customerView(
  { customer, matches, linked }: { customer: PanelCustomer; matches: number; linked: boolean },
  ctx: ViewContext,
): HTMLElement {
  const { t } = ctx;
  return h(
    'div',
    { class: 'customer', attrs: { 'data-customer': customer.id ?? customer.phone ?? '' } },
    matches > 1
      ? button(`← ${t('action.back', { count: matches })}`, () => ctx.actions.select(null), 'link-button')
      : null,
    profileCard(customer, linked, ctx),
    metricsGrid(customer.metrics, ctx),
    latestOrderSection(customer, ctx),
    section(
      t('section.orders'),
      customer.orders.length === 0
        ? h('p', { class: 'muted' }, t('order.none'))
        : h('div', { class: 'stack' }, ...customer.orders.map((order) => orderCard(order, ctx))),
    ),
    customer.abandonedCarts.length === 0
      ? null
      : section(
          t('section.carts'),
          h('div', { class: 'stack' }, ...customer.abandonedCarts.map((c) => cartCard(c, ctx))),
        ),
    customer.notes.length === 0
      ? null
      : section(
          t('section.notes'),
          h('ul', { class: 'notes' }, ...customer.notes.map((note) => h('li', {}, note))),
        ),
    customer.links.length === 0
      ? null
      : section(
          t('section.links'),
          h(
            'ul',
            { class: 'links' },
            ...customer.links.map((link) => h('li', {}, externalLink(link.url, link.label))),
          ),
        ),
    Object.keys(customer.extra).length === 0 ? null : section(t('section.more'), extras(customer.extra)),
  );
}

function profileCard(customer: PanelCustomer, linked: boolean, ctx: ViewContext): HTMLElement {
  const { t, fmt } = ctx;
  const contact = [customer.email, customer.phone].filter((value) => value !== null).join(' · ');
  return h(
    'div',
    { class: 'card profile' },
    h(
      'div',
      { class: 'profile-head' },
      h('h2', { class: 'name' }, customer.name ?? customer.email ?? '—'),
      badge(customer.state, 'info'),
      linked ? badge(t('card.linked'), 'success') : null,
    ),
    customer.segment === null ? null : h('div', { class: 'muted' }, customer.segment),
    chips(customer.tags),
    contact === '' ? null : h('div', { class: 'contact' }, contact),
    customer.address === null ? null : h('div', { class: 'muted' }, customer.address),
    customer.registeredAt === null
      ? null
      : h('div', { class: 'muted' }, t('card.since', { date: fmt.date(customer.registeredAt) })),
    customer.shopUrl === null
      ? null
      : h(
          'div',
          { class: 'row-actions' },
          externalLink(customer.shopUrl, t('card.openInCrm'), 'button small'),
        ),
  );
}

function metricsGrid(metrics: PanelMetrics, ctx: ViewContext): HTMLElement | null {
  const { t, fmt } = ctx;
  const money = (value: number | null) => (value === null ? null : fmt.money(value, metrics.currency));
  const count = (value: number | null) => (value === null ? null : fmt.number(value));
  const cells = [
    [t('metrics.orders'), count(metrics.ordersCount)],
    [t('metrics.spent'), money(metrics.totalSpent)],
    [t('metrics.refunded'), money(metrics.totalRefunded)],
    [t('metrics.discounts'), money(metrics.totalDiscounts)],
    [t('metrics.points'), count(metrics.loyaltyPoints)],
  ].filter((cell): cell is [string, string] => cell[1] !== null);
  if (cells.length === 0) return null;
  return h(
    'dl',
    { class: 'metrics' },
    ...cells.map(([label, value]) => h('div', { class: 'metric' }, h('dt', {}, label), h('dd', {}, value))),
  );
}

/** A CRM's latest-order summary, unless it is already one of the listed orders. */
function latestOrderSection(customer: PanelCustomer, ctx: ViewContext): HTMLElement | null {
  const latest = customer.lastOrder;
  if (latest === null || customer.orders.some((order) => sameOrder(order, latest))) return null;
  return section(ctx.t('section.lastOrder'), orderCard(latest, ctx));
}

const sameOrder = (a: PanelOrder, b: PanelOrder) => a.name !== null && a.name === b.name;
