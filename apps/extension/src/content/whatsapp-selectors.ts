/**
 * Every part of WhatsApp Web's markup the extension relies on, in one place: when WhatsApp changes
 * its page, this is the file to update (and the fixtures in test/fixtures/whatsapp with it).
 * Only ids, roles, ARIA and data attributes are used; WhatsApp's class names change with every build.
 */
export const selectors = {
  /** The conversation pane; absent on the start screen. */
  conversation: '#main',
  /** The chat's title (contact name, or the number of an unsaved contact) inside the conversation header. */
  headerTitle: 'header span[dir="auto"]',
  /** One element per message row, carrying `data-id="<fromMe>_<chat jid>_<message id>[_<sender>]"`. */
  messageRow: '[data-id]',
  /** The message text and its `data-pre-plain-text="[10:21, 2/3/2026] Name: "` header. */
  messageText: '.copyable-text[data-pre-plain-text]',
  messageBody: 'span.selectable-text',
  /** The message composer (a Lexical contenteditable) in the conversation footer. */
  composer: 'footer [contenteditable="true"][role="textbox"], footer [contenteditable="true"]',
} as const;
