/**
 * Bundled into a page by `detection-fixtures.test.ts`: the content script's DOM-facing functions,
 * exposed to `page.evaluate` without the parts that need the extension.
 */
import { insertIntoComposer } from '../../src/content/composer.ts';
import { detectChat } from '../../src/content/detect-chat.ts';
import { readDomSnapshot } from '../../src/content/dom-snapshot.ts';
import { readVisibleMessages } from '../../src/content/visible-messages.ts';

const detection = {
  detect: () => detectChat(null, readDomSnapshot(document)),
  messages: (dayFirst: boolean) => readVisibleMessages(document, dayFirst),
  insert: (text: string) => insertIntoComposer(document, text),
};

export type Detection = typeof detection;

Object.assign(globalThis, { parleyDetection: detection });
