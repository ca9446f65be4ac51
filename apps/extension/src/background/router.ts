/**
 * Answers the typed messages of `shared/messages.ts`. Each request type says who may send it: the
 * content script of a WhatsApp tab, or an extension page; anything else is ignored.
 */
import { recordChat } from '../shared/chat-registry.ts';
import type { BackgroundRequests, RequestType, ResponseOf } from '../shared/messages.ts';
import { fail, type Outcome } from '../shared/outcome.ts';
import { checkConnection } from './check-connection.ts';
import { connectionFrom, savedConnection } from './connection.ts';
import { changeFollowup, listDueFollowups } from './followup-calls.ts';
import { insertIntoChat } from './insert-into-chat.ts';
import { openWhatsAppUrl } from './open-chat.ts';
import { linkCustomer, lookupCustomer, searchCrm } from './panel-calls.ts';
import { reportConversation } from './report-conversation.ts';
import type { Connection } from './server-client.ts';
import { readSettings, viewOf, writeSettings } from './settings-store.ts';
import { isWhatsAppUrl } from './side-panel.ts';
import { suggestReply } from './suggest-reply.ts';

type Sender = chrome.runtime.MessageSender;

interface Route<K extends RequestType> {
  from: 'content' | 'page';
  handle(
    payload: BackgroundRequests[K]['payload'],
    sender: Sender,
  ): Promise<ResponseOf<BackgroundRequests, K>>;
}

async function withSavedConnection<T>(
  run: (connection: Connection) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const connection = await savedConnection();
  return connection.ok ? run(connection.value) : fail(connection.failure);
}

export const routes: { [K in RequestType]: Route<K> } = {
  'chat/changed': {
    from: 'content',
    async handle({ chat, status }, sender) {
      if (sender.tab?.id !== undefined) await recordChat(sender.tab.id, chat, status);
      return { reportMessages: (await readSettings())?.reportMessages ?? false };
    },
  },
  'conversation/report': {
    from: 'content',
    async handle(request) {
      // Checked here too: the content script's idea of the setting may be older than the agent's change.
      if ((await readSettings())?.reportMessages !== true) {
        return fail({ kind: 'invalid_settings', detail: 'Reporting messages is turned off.' });
      }
      return withSavedConnection((connection) => reportConversation(connection, request));
    },
  },
  'customer/lookup': {
    from: 'page',
    handle: ({ phone, refresh }) => withSavedConnection((c) => lookupCustomer(c, phone, refresh)),
  },
  'crm/search': {
    from: 'page',
    handle: ({ kind, query, phone }) => withSavedConnection((c) => searchCrm(c, kind, query, phone)),
  },
  'link/create': {
    from: 'page',
    handle: (request) => withSavedConnection((c) => linkCustomer(c, request)),
  },
  'composer/insert': {
    from: 'page',
    handle: ({ tabId, text }) => insertIntoChat(tabId, text),
  },
  'reply/suggest': {
    from: 'page',
    handle: (request) => withSavedConnection((c) => suggestReply(c, request)),
  },
  'followups/list': {
    from: 'page',
    handle: ({ phone }) => withSavedConnection((c) => listDueFollowups(c, phone)),
  },
  'followup/sent': {
    from: 'page',
    handle: ({ id }) => withSavedConnection((c) => changeFollowup(c, id, 'sent')),
  },
  'followup/dismiss': {
    from: 'page',
    handle: ({ id }) => withSavedConnection((c) => changeFollowup(c, id, 'dismiss')),
  },
  'chat/open': {
    from: 'page',
    handle: ({ tabId, url }) => openWhatsAppUrl(tabId, url),
  },
  'settings/read': {
    from: 'page',
    handle: async () => viewOf(await readSettings()),
  },
  'settings/check': {
    from: 'page',
    async handle(input) {
      const connection = await connectionFrom(input);
      return connection.ok ? checkConnection(connection.value) : fail(connection.failure);
    },
  },
  'settings/save': {
    from: 'page',
    async handle(input) {
      const connection = await connectionFrom(input);
      if (!connection.ok) return fail(connection.failure);
      const report = await checkConnection(connection.value);
      if (report.ok) {
        const { serverUrl, token } = connection.value;
        await writeSettings({ serverUrl, token, reportMessages: input.reportMessages });
      }
      return report;
    },
  },
};

export const requestTypes = Object.keys(routes) as RequestType[];

export function isAllowedSender(from: Route<RequestType>['from'], sender: Sender): boolean {
  if (sender.id !== chrome.runtime.id) return false;
  if (from === 'page') return sender.url?.startsWith(chrome.runtime.getURL('')) === true;
  return sender.tab?.id !== undefined && isWhatsAppUrl(sender.tab.url ?? sender.url);
}
