/** One search result per kind: a customer to link or view, a product or any CRM record to insert into the chat. */
import type { PanelCustomer, PanelProduct, PanelSearchResult } from '@parley/contract';
import { button, externalLink, h, remoteImage } from '../dom.ts';
import { productText, searchResultText } from '../insert-texts.ts';
import type { ViewContext } from '../view-context.ts';
import { badge } from './parts.ts';

/** `canLink`: the open chat has a phone to link to; otherwise the customer can only be viewed. */
export function customerResult(customer: PanelCustomer, canLink: boolean, ctx: ViewContext): HTMLElement {
  const { t, actions } = ctx;
  return h(
    'li',
    { class: 'result', attrs: { 'data-result': customer.id ?? customer.phone ?? '' } },
    h(
      'div',
      { class: 'result-head' },
      h('strong', {}, customer.name ?? customer.email ?? '—'),
      badge(customer.state, 'info'),
    ),
    h('div', { class: 'muted' }, [customer.email, customer.phone].filter((v) => v !== null).join(' · ')),
    h(
      'div',
      { class: 'row-actions' },
      canLink
        ? button(t('action.link'), () => actions.link(customer), 'button small primary link-customer')
        : null,
      customer.phone === null ? null : button(t('action.view'), () => actions.view(customer), 'button small'),
      externalLink(customer.shopUrl, t('card.openInCrm')),
    ),
  );
}

export function productResult(product: PanelProduct, ctx: ViewContext): HTMLElement {
  const { t, fmt, actions } = ctx;
  const text = productText(t, fmt, product);
  const stock =
    product.stock === null
      ? null
      : product.stock > 0
        ? t('product.stock', { count: fmt.number(product.stock) })
        : t('product.outOfStock');
  return h(
    'li',
    { class: 'result product' },
    remoteImage(product.image, product.name ?? ''),
    h(
      'div',
      { class: 'result-body' },
      h(
        'div',
        { class: 'result-head' },
        h('strong', {}, product.name ?? product.sku ?? '—'),
        badge(stock, product.stock === 0 ? 'danger' : 'success'),
      ),
      h(
        'div',
        { class: 'muted' },
        [product.sku, product.price === null ? null : fmt.money(product.price, product.currency)]
          .filter((v) => v !== null)
          .join(' · '),
      ),
      product.variants.length === 0
        ? null
        : h(
            'div',
            { class: 'muted small' },
            `${t('product.variants')}: `,
            product.variants
              .map((variant) =>
                [
                  variant.title ?? variant.sku,
                  variant.stock === null ? null : `(${fmt.number(variant.stock)})`,
                ]
                  .filter(Boolean)
                  .join(' '),
              )
              .join(', '),
          ),
      h(
        'div',
        { class: 'row-actions' },
        externalLink(product.url, t('action.view')),
        text === null ? null : button(t('action.insert'), () => actions.insert(text), 'button small insert'),
      ),
    ),
  );
}

export function globalResult(result: PanelSearchResult, ctx: ViewContext): HTMLElement {
  const { t, actions } = ctx;
  const text = searchResultText(t, result);
  return h(
    'li',
    { class: 'result' },
    h(
      'div',
      { class: 'result-head' },
      h('strong', {}, result.title ?? result.id ?? '—'),
      badge(result.type, 'neutral'),
    ),
    result.subtitle === null ? null : h('div', { class: 'muted' }, result.subtitle),
    h('div', { class: 'muted' }, [result.phone, result.email].filter((v) => v !== null).join(' · ')),
    h(
      'div',
      { class: 'row-actions' },
      externalLink(result.url, t('action.view')),
      text === null ? null : button(t('action.insert'), () => actions.insert(text), 'button small insert'),
    ),
  );
}
