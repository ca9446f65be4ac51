/**
 * Puts text into WhatsApp's message composer for the agent to review and send. It never sends:
 * no Enter key, no click on the send button.
 */
import { fail, succeed, type Outcome } from '../shared/outcome.ts';
import { selectors } from './whatsapp-selectors.ts';

export function insertIntoComposer(root: Document, text: string): Outcome<null> {
  const composer = root.querySelector<HTMLElement>(selectors.composer);
  if (composer === null)
    return fail({ kind: 'no_composer', detail: 'No chat is open, so there is no message box.' });
  // Whatever the agent already typed stays; the text goes after it.
  // innerText is what the agent sees (no markup whitespace); an empty editor renders as a line break.
  const typed = composer.innerText.replace(/\n+$/, '');
  const insertion = /\S$/.test(typed) ? ` ${text}` : text;
  composer.focus();
  placeCaretAtEnd(root, composer);
  // execCommand goes through the browser's editing pipeline (beforeinput/input events), which is what
  // WhatsApp's editor listens to; setting textContent would leave its state unaware of the text.
  if (!root.execCommand('insertText', false, insertion)) {
    composer.append(insertion);
    composer.dispatchEvent(
      new InputEvent('input', { bubbles: true, inputType: 'insertText', data: insertion }),
    );
  }
  return succeed(null);
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
