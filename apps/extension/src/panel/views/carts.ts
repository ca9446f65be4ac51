/** Abandoned carts with their recovery link, which can go into the chat. */
import type { PanelCart } from '@parley/contract';
import { button, externalLink, h } from '../dom.ts';
import { cartText } from '../insert-texts.ts';
import type { ViewContext } from '../view-context.ts';
import { itemList } from './items.ts';
import { extras } from './parts.ts';

export function cartCard(cart: PanelCart, ctx: ViewContext): HTMLElement {
  const { t, fmt } = ctx;
  const text = cartText(t, cart);
  return h(
    'article',
    { class: 'cart' },
    h(
      'div',
      { class: 'order-head' },
      cart.date === null ? null : h('strong', {}, fmt.date(cart.date)),
      cart.amount === null ? null : h('span', { class: 'amount' }, fmt.money(cart.amount, cart.currency)),
    ),
    itemList(cart.items, cart.currency, fmt),
    h(
      'div',
      { class: 'row-actions' },
      externalLink(cart.url, t('cart.open')),
      text === null
        ? null
        : button(t('action.insert'), () => ctx.actions.insert(text), 'button small insert'),
    ),
    extras(cart.extra),
  );
}
