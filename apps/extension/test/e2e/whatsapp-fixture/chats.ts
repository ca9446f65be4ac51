/**
 * The chats of the fake WhatsApp Web page. Their numbers match customers of the demo CRM
 * (examples/demo-crm), except the unknown one.
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
  /** The chat's id as message rows carry it (`@c.us`, `@lid` or `@g.us`). */
  jid: string;
  /** When set, WhatsApp's store (window.require) knows this chat and this contact number for it. */
  storePhoneJid?: string;
  messages: FixtureMessage[];
}

const label = (time: string, who: string) => `[${time}, 2/3/2026] ${who}: `;

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
    // A chat WhatsApp addresses by its linked-device id: only the store knows the number.
    jid: '172829449224331@lid',
    storePhoneJid: '34911222333@c.us',
    messages: [{ fromMe: false, text: '¿Me mandáis la factura?', label: label('12:30', 'Lucía (trabajo)') }],
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
];
