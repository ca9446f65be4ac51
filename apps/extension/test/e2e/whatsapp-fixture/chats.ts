/**
 * The chats of the fake WhatsApp Web page. Their numbers match customers of the demo CRM
 * (examples/demo-crm), except the unknown one, the hidden one and the broken one.
 */
export interface FixtureMessage {
  fromMe: boolean;
  text: string;
  /** As WhatsApp labels it: `[10:21, 2/3/2026] Name: `. */
  label: string;
  /** A group message's sender. */
  sender?: string;
}

export interface FixtureChat {
  key: string;
  /** The header title: a contact's name, or the number of an unsaved contact. */
  title: string;
  /** The chat's id in WhatsApp's store and in the rows' `data-id` (`@c.us`, `@lid` or `@g.us`). */
  jid: string;
  /** WhatsApp's store: the contact's `phoneNumber`, filled when WhatsApp knew the number as it made the model. */
  contactPhoneJid?: string;
  /** WhatsApp's LID→phone map (WAWebApiContact.getPhoneNumber) knows this number for the chat's @lid id. */
  lidMapPhoneJid?: string;
  /** A contact whose number WhatsApp hides: a username, and fields that only look like a number. */
  hiddenNumber?: boolean;
  /** False: the store's model of this chat has no readable message collection. */
  storeMessages?: boolean;
  /**
   * The rows' markup: `legacy` (`<fromMe>_<chat>_<id>`, text in span.selectable-text), `2026` (bare
   * ids, text in a span[dir]), `unreadable` (bare ids and no time label: neither reader can use them).
   */
  markup?: 'legacy' | '2026' | 'unreadable';
  /** `needs-click`: a message box that takes no text until the agent clicks it. */
  composer?: 'needs-click';
  messages: FixtureMessage[];
}

const label = (time: string, who: string) => `[${time}, 2/3/2026] ${who}: `;
/** As WhatsApp labels it in American English (month first, 12-hour clock), the locale of the 2026 tests. */
const usLabel = (time: string, who: string) => `[${time}, 3/2/2026] ${who}: `;

export const fixtureChats: FixtureChat[] = [
  {
    key: 'lucia',
    title: 'Lucía Fernández',
    jid: '34655123987@c.us',
    messages: [
      { fromMe: false, text: 'Hola, ¿dónde está mi pedido?', label: label('10:21', 'Lucía Fernández') },
      { fromMe: true, text: '¡Hola Lucía! Te paso el seguimiento.', label: label('10:23', 'Tienda Runner') },
    ],
  },
  {
    key: 'emily',
    title: 'Emily Carter',
    jid: '14155550123@c.us',
    messages: [
      { fromMe: false, text: 'Hi! Can I change the sock size?', label: label('11:02', 'Emily Carter') },
    ],
  },
  {
    key: 'unknown',
    title: '+34 611 00 01 11',
    jid: '34611000111@c.us',
    messages: [
      {
        fromMe: false,
        text: 'Hola, escribo desde el móvil del trabajo',
        label: label('12:10', '+34 611 00 01 11'),
      },
    ],
  },
  {
    key: 'work',
    title: 'Lucía (trabajo)',
    // A chat WhatsApp addresses by its linked-device id: only the store knows the number (on its
    // contact model), its model has no messages to read, and the rows are in the 2026 markup.
    jid: '190001234567890@lid',
    contactPhoneJid: '34911222333@c.us',
    storeMessages: false,
    markup: '2026',
    messages: [
      { fromMe: false, text: '¿Me mandáis la factura?', label: usLabel('12:30 PM', 'Lucía (trabajo)') },
    ],
  },
  {
    key: 'group',
    title: 'Club de corredores',
    jid: '120363040000000000@g.us',
    messages: [
      {
        fromMe: false,
        text: '¿Quedamos el sábado?',
        label: label('08:15', 'Lucía Fernández'),
        sender: '34655123987@c.us',
      },
    ],
  },
  {
    key: 'james',
    title: "James O'Connor",
    // 2026: the contact model has no phoneNumber; only WhatsApp's LID→phone map knows it.
    jid: '98765432109876@lid',
    lidMapPhoneJid: '447911123456@c.us',
    markup: '2026',
    messages: [
      { fromMe: false, text: 'Hi, is the GTX in size 44 back?', label: usLabel('9:40 AM', "James O'Connor") },
      { fromMe: true, text: 'Let me check, James.', label: usLabel('9:42 AM', 'Tienda Runner') },
    ],
  },
  {
    key: 'sofia',
    title: 'sofia.runs',
    // A username chat: WhatsApp hides the number, and the @lid digits only look like one.
    jid: '172829449224331@lid',
    hiddenNumber: true,
    markup: '2026',
    messages: [
      { fromMe: false, text: 'Hola, ¿hacéis envíos a Andorra?', label: usLabel('1:05 PM', 'sofia.runs') },
    ],
  },
  {
    key: 'broken',
    title: 'Pedro Ruiz',
    // Neither reader works: no messages in the store's model, rows without a time label; and a
    // message box that takes nothing until clicked.
    jid: '34622000111@c.us',
    storeMessages: false,
    markup: 'unreadable',
    composer: 'needs-click',
    messages: [{ fromMe: false, text: '¿Me llamáis?', label: usLabel('2:20 PM', 'Pedro Ruiz') }],
  },
];
