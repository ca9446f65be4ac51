/**
 * Every part of WhatsApp Web's markup the extension relies on, in one place: when WhatsApp changes
 * its page, this is the file to update (and the fixtures in test/fixtures/whatsapp with it).
 * Ids, roles, ARIA and data attributes are used; of WhatsApp's class names (which change with every
 * build) only the long-lived semantic ones below.
 */
export const selectors = {
  /** The conversation pane; absent on the start screen. */
  conversation: '#main',
  /** The chat's title (contact name, or the number of an unsaved contact) inside the conversation header. */
  headerTitle: 'header span[dir="auto"]',
  /**
   * One element per message row, carrying `data-id`: `<fromMe>_<chat jid>_<message id>[_<sender>]`
   * until 2026, the bare message id since (see `visible-messages.ts`).
   */
  messageRow: '[data-id]',
  /** The element holding a message's `data-pre-plain-text="[10:21, 2/3/2026] Name: "` label and its text. */
  messageText: '[data-pre-plain-text]',
  /** The text itself: `span.selectable-text` until 2026; since then only a `span[dir]` is left. */
  messageBody: 'span.selectable-text',
  messageBodyFallback: 'span[dir]',
  /** A row's direction when its `data-id` does not say it (the 2026 format). */
  outgoing: '.message-out',
  incoming: '.message-in',
  /** The message composer (a Lexical contenteditable) in the conversation footer. */
  composer: 'footer [contenteditable="true"][role="textbox"], footer [contenteditable="true"]',
  /** The paragraph of the composer Lexical keeps its caret in. */
  composerParagraph: 'p',
} as const;
