/**
 * Puts text into WhatsApp's message composer for the agent to review and send, and checks that it
 * landed. It never sends: no Enter key, no click on the send button.
 *
 * The composer is a Lexical editor, which keeps its own caret apart from the DOM selection: text
 * typed while that caret is not in one of its paragraphs (an editor that never had focus, a
 * selection left on the editor's root) is dropped, and Lexical re-renders the DOM from its own state
 * a moment later. So the composer is read back after the page's pending work ran; when nothing
 * landed, the caret is put inside the editor's paragraph and the insert tried once more.
 */
import { fail, succeed, type Outcome } from '../shared/outcome.ts';
import { selectors } from './whatsapp-selectors.ts';

export async function insertIntoComposer(root: Document, text: string): Promise<Outcome<null>> {
  const composer = root.querySelector<HTMLElement>(selectors.composer);
  if (composer === null)
    return fail({ kind: 'no_composer', detail: 'No chat is open, so there is no message box.' });
  const before = typedText(composer);
  // Whatever the agent already typed stays; the text goes after it.
  const insertion = /\S$/.test(before) ? ` ${text}` : text;
  const attempt = async (caretIn: HTMLElement) => {
    composer.focus();
    placeCaretAtEnd(root, caretIn);
    // execCommand goes through the browser's editing pipeline (beforeinput/input events), which is
    // what Lexical listens to; writing the DOM directly would leave its state unaware of the text.
    root.execCommand('insertText', false, insertion);
    // Lexical commits its updates in a microtask; read the composer once they ran.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return typedText(composer);
  };
  let after = await attempt(composer);
  if (after === before) {
    const paragraph = composer.querySelector<HTMLElement>(selectors.composerParagraph);
    if (paragraph !== null) after = await attempt(paragraph);
  }
  if (landed(before, after, text)) return succeed(null);
  return fail({
    kind: 'not_inserted',
    detail:
      after === before
        ? 'The message box did not take the text.'
        : 'The message box changed, but not into the text.',
  });
}

/** What the agent sees in the composer: innerText without the line break an empty editor renders. */
const typedText = (composer: HTMLElement) => composer.innerText.replace(/\n+$/, '');

/** Lexical turns line breaks into paragraphs and spaces into NBSPs; compare the words. */
const words = (value: string) => value.replace(/\s+/g, ' ').trim();

function landed(before: string, after: string, text: string): boolean {
  return words(after).endsWith(words(text)) && words(after).length > words(before).length;
}

function placeCaretAtEnd(root: Document, element: HTMLElement): void {
  const selection = root.getSelection();
  if (selection === null) return;
  const range = root.createRange();
  range.selectNodeContents(element);
  range.collapse(false);
  selection.removeAllRanges();
  selection.addRange(range);
}
