/** Renders the customer tab for each Screen of `screen.ts`. */
import type { CustomerLookupResponse } from '@parley/contract';
import { button } from '../dom.ts';
import type { Screen } from '../screen.ts';
import type { ViewContext } from '../view-context.ts';
import { customerView } from './customer.ts';
import { pickerView } from './picker.ts';
import { failureState, messageState, skeleton } from './states.ts';

export function screenView(screen: Screen, ctx: ViewContext): HTMLElement {
  const { t, actions } = ctx;
  const retry = button(t('action.retry'), () => actions.refresh(), 'button primary retry');
  const searchAndLink = button(
    t('action.searchAndLink'),
    () => actions.showTab('customers'),
    'button primary',
  );
  switch (screen.kind) {
    case 'setup':
      return messageState({
        state: 'setup',
        tone: 'info',
        title: t('state.setup.title'),
        body: t('state.setup.body'),
        actions: [button(t('action.openOptions'), () => actions.openOptions(), 'button primary')],
      });
    case 'no_chat':
      return messageState({
        state: 'no-chat',
        tone: 'info',
        title: t('state.noChat.title'),
        body: t('state.noChat.body'),
      });
    case 'no_phone':
      return messageState({
        state: 'no-phone',
        tone: 'warning',
        title: t('state.noPhone.title'),
        body: t(
          screen.reason === 'lid'
            ? 'state.noPhone.lid'
            : screen.reason === 'group'
              ? 'state.noPhone.group'
              : 'state.noPhone.unknown',
        ),
        actions: [searchAndLink],
      });
    case 'loading':
      return skeleton(t('state.loading'));
    case 'customer':
      return customerView(screen, ctx);
    case 'picker':
      return pickerView(screen.customers, ctx);
    case 'not_found':
      return messageState({
        state: 'not-found',
        tone: 'info',
        title: t('state.notFound.title', { phone: screen.phone }),
        body: t('state.notFound.body'),
        actions: [searchAndLink],
      });
    case 'not_configured':
      return messageState({
        state: 'not-configured',
        tone: 'warning',
        title: t('state.notConfigured.title'),
        body: t('state.notConfigured.body'),
      });
    case 'disabled':
      return messageState({
        state: 'disabled',
        tone: 'warning',
        title: t('state.disabled.title'),
        body: t('state.disabled.body'),
        detail: describe(screen.error),
        actions: [retry],
      });
    case 'crm_error':
      return messageState({
        state: 'error',
        tone: 'error',
        title: t('state.error.title'),
        body: t('failure.crm'),
        detail: describe(screen.error),
        actions: [retry],
      });
    case 'failure':
      return failureState(screen.failure, { state: 'error', title: t('state.error.title'), retry }, ctx);
  }
}

const describe = (error: CustomerLookupResponse['error'] | null): string | null =>
  error == null ? null : `${error.code}: ${error.message}`;
