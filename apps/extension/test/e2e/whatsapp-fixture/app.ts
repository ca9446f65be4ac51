/**
 * A page that looks and changes like WhatsApp Web where the extension looks: a chat list, and a
 * `#main` conversation pane replaced on every chat switch (header title, message rows with
 * `data-id`, a contenteditable composer), plus WhatsApp's module loader exposing the chat store.
 * Served as https://web.whatsapp.com/ (and /send?phone=…) in the end-to-end test.
 */
import { fixtureChats, type FixtureChat } from './chats.ts';

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

function messageRow(chat: FixtureChat, message: FixtureChat['messages'][number]): HTMLElement {
  const id = `3EB0${(++sequence).toString(16).toUpperCase().padStart(16, '0')}`;
  const dataId = `${message.fromMe}_${chat.jid}_${id}${message.sender === undefined ? '' : `_${message.sender}`}`;
  return element(
    'div',
    { role: 'row' },
    element(
      'div',
      { 'data-id': dataId, class: message.fromMe ? 'message-out' : 'message-in' },
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
    element(
      'footer',
      {},
      element('div', {
        contenteditable: 'true',
        role: 'textbox',
        'data-tab': '10',
        'aria-label': 'Type a message',
      }),
    ),
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

const wid = (serialized: string) => ({ _serialized: serialized });

/** WhatsApp's module loader, with the one module the MAIN-world script reads. */
Object.assign(window, {
  require(name: string) {
    if (name !== 'WAWebChatCollection') throw new Error(`Requiring unknown module "${name}"`);
    return {
      ChatCollection: {
        getActive: () =>
          active?.storePhoneJid === undefined
            ? undefined
            : {
                id: wid(active.jid),
                formattedTitle: active.title,
                contact: { phoneNumber: wid(active.storePhoneJid) },
              },
      },
    };
  },
});

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
