/**
 * Bundled into a page by `detection-fixtures.test.ts`: the content script's DOM-facing functions,
 * exposed to `page.evaluate` without the parts that need the extension, and the fake Lexical
 * composer of `fake-lexical.ts` to put in place of a fixture's static one.
 */
import { insertIntoComposer } from '../../src/content/composer.ts';
import { detectChat } from '../../src/content/detect-chat.ts';
import { readDomSnapshot } from '../../src/content/dom-snapshot.ts';
import { readVisibleMessages } from '../../src/content/visible-messages.ts';
import { attachFakeLexical } from './fake-lexical.ts';

const detection = {
  detect: () => detectChat(null, readDomSnapshot(document)),
  messages: (dayFirst: boolean) => readVisibleMessages(document, dayFirst),
  insert: (text: string) => insertIntoComposer(document, text),
  /** Replaces the footer's composer with a Lexical-like editor that never had focus. */
  lexical(needsClick: boolean) {
    const composer = document.querySelector<HTMLElement>('footer [contenteditable="true"]');
    if (composer === null) throw new Error('no composer in this fixture');
    const editor = document.createElement('div');
    editor.setAttribute('aria-label', 'Type a message');
    composer.replaceWith(editor);
    attachFakeLexical(editor, { needsClick });
  },
};

export type Detection = typeof detection;

Object.assign(globalThis, { parleyDetection: detection });
