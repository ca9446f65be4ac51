/**
 * A page that looks and changes like WhatsApp Web where the extension looks: a chat list, and a
 * `#main` conversation pane replaced on every chat switch (header title, message rows with
 * `data-id`, a Lexical-like composer), plus WhatsApp's module loader (`window.require`, its
 * `__debug.modulesMap`, modules registered progressively, an error guard that logs every unknown
 * module required) exposing the chat collection, the chats' messages and the LID→phone map.
 * `?modules=renamed` serves the 2026 layout: no `WAWebChatCollection`, the chats in
 * `WAWebCollections.Chat`, the active one found by its flag.
 * Served as https://web.whatsapp.com/ (and /send?phone=…) in the end-to-end tests.
 */
import { attachFakeLexical } from '../../support/fake-lexical.ts';
import { fixtureChats, type FixtureChat, type FixtureMessage } from './chats.ts';

let active: FixtureChat | null = null;
let sequence = 0;

function element(
  tag: string,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Each message's id, made once so the store and the markup agree on it. */
const messageIds = new Map<FixtureMessage, string>();
const messageId = (message: FixtureMessage) => {
  let id = messageIds.get(message);
  if (id === undefined) {
    id = `3EB0${(++sequence).toString(16).toUpperCase().padStart(16, '0')}`;
    messageIds.set(message, id);
  }
  return id;
};

function messageRow(chat: FixtureChat, message: FixtureMessage): HTMLElement {
  const id = messageId(message);
  const direction = message.fromMe ? 'message-out' : 'message-in';
  if (chat.markup === '2026' || chat.markup === 'unreadable') {
    // 2026: the bare message id, the text in a span[dir] without span.selectable-text.
    const text = element('span', { dir: 'ltr' }, element('span', {}, message.text));
    return element(
      'div',
      { role: 'row' },
      element(
        'div',
        { 'data-id': id, class: direction },
        chat.markup === '2026'
          ? element('div', { class: 'copyable-text', 'data-pre-plain-text': message.label }, text)
          : element('div', {}, text),
      ),
    );
  }
  const dataId = `${message.fromMe}_${chat.jid}_${id}${message.sender === undefined ? '' : `_${message.sender}`}`;
  return element(
    'div',
    { role: 'row' },
    element(
      'div',
      { 'data-id': dataId, class: direction },
      element(
        'div',
        { class: 'copyable-text', 'data-pre-plain-text': message.label },
        element(
          'span',
          { class: 'selectable-text copyable-text', dir: 'ltr' },
          element('span', {}, message.text),
        ),
      ),
    ),
  );
}

function conversation(chat: FixtureChat): HTMLElement {
  const composer = element('div', { 'data-tab': '10', 'aria-label': 'Type a message' });
  // A new editor per chat, as WhatsApp mounts one: it has never had focus.
  attachFakeLexical(composer, { needsClick: chat.composer === 'needs-click' });
  return element(
    'div',
    { id: 'main' },
    element(
      'header',
      {},
      element('div', { role: 'button', title: 'Profile details', class: 'avatar' }, chat.title.slice(0, 1)),
      element('div', { role: 'button' }, element('span', { dir: 'auto', title: chat.title }, chat.title)),
    ),
    element(
      'div',
      { class: 'copyable-area messages', role: 'application' },
      ...chat.messages.map((m) => messageRow(chat, m)),
    ),
    element('footer', {}, composer),
  );
}

function open(chat: FixtureChat): void {
  active = chat;
  // WhatsApp replaces the whole pane on a chat switch.
  document.getElementById('main')?.remove();
  document.querySelector('.two')?.append(conversation(chat));
  for (const item of document.querySelectorAll('[data-fixture-chat]')) {
    item.setAttribute('aria-selected', String(item.getAttribute('data-fixture-chat') === chat.key));
  }
}

const wid = (serialized: string) => ({
  _serialized: serialized,
  user: serialized.split('@')[0],
  server: serialized.split('@')[1],
});

/**
 * The local time of a label (`[10:21, 2/3/2026] …` or `[9:40 AM, 3/2/2026] …`, all on March 2nd),
 * as WhatsApp's model holds it: 37 s past the minute, which the markup does not show.
 */
function timestampOf(label: string): number {
  const [, hours = '0', minutes = '0', meridiem] = /^\[(\d+):(\d+)(?: ([AP])M)?/.exec(label) ?? [];
  const hour = meridiem === undefined ? Number(hours) : (Number(hours) % 12) + (meridiem === 'P' ? 12 : 0);
  return new Date(2026, 2, 2, hour, Number(minutes), 37).getTime() / 1000;
}

function contactModel(chat: FixtureChat): object {
  if (chat.hiddenNumber === true) {
    return {
      id: wid(chat.jid),
      username: chat.title,
      // What a careless reader would take for a number: the @lid digits, formatted.
      formattedPhone: `+${chat.jid.split('@')[0]}`,
      get phoneNumber(): never {
        // WhatsApp's getters may throw; the extension must not let it reach the page.
        throw new Error('No phone number for a username contact');
      },
    };
  }
  return {
    id: wid(chat.jid),
    ...(chat.contactPhoneJid === undefined ? {} : { phoneNumber: wid(chat.contactPhoneJid) }),
  };
}

function chatModel(chat: FixtureChat): object {
  const msgs = chat.messages.map((message) => ({
    id: { fromMe: message.fromMe, remote: wid(chat.jid), id: messageId(message) },
    type: 'chat',
    body: message.text,
    t: timestampOf(message.label),
  }));
  return {
    id: wid(chat.jid),
    formattedTitle: chat.title,
    get active() {
      return chat === active;
    },
    contact: contactModel(chat),
    ...(chat.storeMessages === false ? {} : { msgs: { getModelsArray: () => msgs } }),
  };
}

const chatModels = fixtureChats.map(chatModel);
const lidMap = new Map(
  fixtureChats.flatMap((chat) =>
    chat.lidMapPhoneJid === undefined ? [] : [[chat.jid, wid(chat.lidMapPhoneJid)] as const],
  ),
);
const renamed = new URLSearchParams(location.search).get('modules') === 'renamed';

/** The modules of WhatsApp's loader this page has; registered in two steps, as WhatsApp does. */
const modules = new Map<string, unknown>();
const registerCore = () => {
  if (renamed) modules.set('WAWebCollections', { Chat: { getModelsArray: () => chatModels } });
  else {
    const getActive = () => chatModels[fixtureChats.findIndex((chat) => chat === active)];
    modules.set('WAWebChatCollection', { ChatCollection: { getActive } });
  }
};
const registerLater = () => {
  modules.set('WAWebApiContact', {
    getPhoneNumber: (lid: { _serialized?: string }) => lidMap.get(lid._serialized ?? ''),
  });
};

Object.assign(window, {
  __d() {
    // WhatsApp's module definer; its presence marks the Meta loader.
  },
  require(name: string) {
    if (name === '__debug')
      return { modulesMap: Object.fromEntries([...modules.keys()].map((k) => [k, {}])) };
    if (!modules.has(name)) {
      // WhatsApp's error guard logs every module required that it does not have.
      console.error(`Requiring unknown module "${name}"`);
      throw new Error(`Requiring unknown module "${name}"`);
    }
    return modules.get(name);
  },
});
registerCore();
setTimeout(registerLater, 300);

const list = element(
  'div',
  { id: 'pane-side', role: 'grid' },
  ...fixtureChats.map((chat) => {
    const item = element(
      'div',
      { role: 'listitem', 'data-fixture-chat': chat.key, 'aria-selected': 'false' },
      element('span', { dir: 'auto', title: chat.title }, chat.title),
    );
    item.addEventListener('click', () => open(chat));
    return item;
  }),
);
document
  .getElementById('app')
  ?.append(element('div', { class: 'two' }, element('div', { id: 'side' }, list)));

// https://web.whatsapp.com/send?phone=<digits> opens that number's chat, as WhatsApp Web does.
const wanted = location.pathname === '/send' ? new URLSearchParams(location.search).get('phone') : null;
const chatOfLink = fixtureChats.find((chat) => wanted !== null && chat.jid === `${wanted}@c.us`);
if (chatOfLink !== undefined) open(chatOfLink);
